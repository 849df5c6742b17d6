package dev.bedrockgateway.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import dev.bedrockgateway.bedrock.UpstreamFailure;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.observability.RequestRecord;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Sends each Bedrock call to one deployment of the requested model and handles Bedrock's bad days, LiteLLM's way:
 *
 * <ul>
 * <li><b>Deployment groups.</b> Among a model's deployments that are usable — circuit not open, fewer calls in
 * flight than their bulkhead allows, within their catalog {@code rpm}/{@code tpm} — the least busy one is picked
 * (ties, and {@code simple-shuffle}, in turn).</li>
 * <li><b>Retries</b> (SmallRye Fault Tolerance, exponential backoff with jitter): throttling, 5xx, timeouts and
 * connection failures, each attempt on a freshly picked deployment. The call being retried is the one that
 * produces the first event of an answer, so a stream is never replayed once anything reached the client.</li>
 * <li><b>Cool-down</b> (a SmallRye circuit breaker per deployment): after {@code allowed_fails + 1} failed calls in a
 * row a deployment gets no traffic for {@code cooldown_time}, then one trial call. Throttling does not count for a
 * model's only deployment.</li>
 * <li><b>Bulkhead</b>: at most {@code max_parallel_requests} calls per deployment, streams counted until they end; a
 * full group is a 429 at once, not a queue.</li>
 * <li><b>Fallbacks</b>: when a model's group is exhausted (retries spent, or nothing usable), the catalog's
 * {@code fallbacks} for it are tried in order, each with its own retries — other regions included.</li>
 * </ul>
 */
@ApplicationScoped
public class BedrockRouter {

    private static final Logger LOG = Logger.getLogger(BedrockRouter.class);
    private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() {
    };

    private final Deployments deployments;
    private final GatewayMetrics metrics;
    private final AtomicLong turn = new AtomicLong();

    public BedrockRouter(Deployments deployments, GatewayMetrics metrics) {
        this.deployments = deployments;
        this.metrics = metrics;
    }

    /**
     * Runs {@code call} on a deployment of {@code modelName}, retrying, cooling down and falling back as described
     * above. The deployment's bulkhead slot is held while the call's {@link Uni} runs; {@code holdUntilDone}, when
     * given, hands it on to what the call produced, which releases it when it ends (a stream: when it completes, fails
     * or is cancelled).
     */
    public <T> Uni<T> route(RequestRecord record, String modelName, Function<Deployment, Uni<T>> call,
            BiFunction<T, Runnable, T> holdUntilDone) {
        Deployments.Policy p = deployments.policy();
        List<String> chain = new ArrayList<>();
        chain.add(modelName);
        chain.addAll(p.catalog().settings().fallbacksOf(modelName));
        Attempts attempts = new Attempts();
        // Cancelled (the client left): the attempt under way is cancelled and no further one is made.
        return tryModel(p, record, chain, 0, attempts, call, holdUntilDone).onCancellation().invoke(attempts::abandon);
    }

    /** The attempts of one routed call, which can be abandoned all at once. */
    private static final class Attempts {
        private boolean abandoned;
        private Runnable cancelCurrent;

        /** Runs one attempt, unless the call was abandoned; abandoning it fails the attempt, not to be retried. */
        <T> Uni<T> run(Uni<T> attempt) {
            return Uni.createFrom().emitter(emitter -> {
                synchronized (this) {
                    if (abandoned) {
                        emitter.fail(new CallAbandoned());
                        return;
                    }
                }
                Cancellable running = attempt.subscribe().with(emitter::complete, emitter::fail);
                emitter.onTermination(running::cancel);
                Runnable cancel = () -> {
                    running.cancel();
                    emitter.fail(new CallAbandoned());
                };
                boolean now;
                synchronized (this) {
                    cancelCurrent = cancel;
                    now = abandoned;
                }
                if (now) {
                    cancel.run();
                }
            });
        }

        void abandon() {
            Runnable cancel;
            synchronized (this) {
                abandoned = true;
                cancel = cancelCurrent;
            }
            if (cancel != null) {
                cancel.run();
            }
        }
    }

    /** The end of a call nobody waits for any more: neither retried nor counted against the deployment. */
    static final class CallAbandoned extends RuntimeException {
        CallAbandoned() {
            super("the call was abandoned", null, false, false);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> Uni<T> tryModel(Deployments.Policy p, RequestRecord record, List<String> chain, int index,
            Attempts attempts, Function<Deployment, Uni<T>> call, BiFunction<T, Runnable, T> hold) {
        String name = chain.get(index);
        AtomicInteger made = new AtomicInteger();
        Uni<T> attemptsOfModel = (Uni<T>) p.retry().get(() -> {
            if (made.getAndIncrement() > 0) {
                record.retried();
                Deployment last = record.deployment();
                metrics.retry(last == null ? name : last.key());
            }
            return attempts.run(Uni.createFrom().deferred(() -> (Uni<Object>) (Uni<?>) once(p, record, name, call,
                    hold)));
        }, UNI);
        if (index + 1 >= chain.size()) {
            return attemptsOfModel;
        }
        return attemptsOfModel.onFailure(BedrockRouter::exhausted).recoverWithUni(failure -> {
            String next = chain.get(index + 1);
            LOG.debugf("Model %s exhausted (%s); falling back to %s", name, failure.getMessage(), next);
            metrics.fallback(name, next);
            record.fellBackFrom(chain.get(0));
            return tryModel(p, record, chain, index + 1, attempts, call, hold);
        });
    }

    /** A model is exhausted when its last failure was worth another attempt or nothing of it was usable. */
    private static boolean exhausted(Throwable failure) {
        return UpstreamFailure.isRetryable(failure) || failure instanceof NoDeploymentAvailable;
    }

    /** One attempt on one deployment; its slot is released when the attempt ends, or by what it produced. */
    @SuppressWarnings("unchecked")
    private <T> Uni<T> once(Deployments.Policy p, RequestRecord record, String modelName,
            Function<Deployment, Uni<T>> call, BiFunction<T, Runnable, T> hold) {
        List<Deployment> group = p.catalog().find(modelName)
                .orElseThrow(() -> OpenAiException.modelNotFound(modelName));
        DeploymentState chosen = pick(p, group);
        Deployment deployment = chosen.deployment();
        record.deployment(deployment);
        Runnable release = chosen.releaser();
        Uni<T> guarded;
        try {
            Uni<T> upstream = call.apply(deployment);
            if (hold != null) {
                // Handed on where it is produced, so that nothing between here and the caller can drop it unreleased.
                upstream = upstream.onItem().transform(item -> hold.apply(item, release));
            }
            Uni<T> attempt = upstream;
            guarded = (Uni<T>) chosen.breaker().get(() -> (Uni<Object>) (Uni<?>) attempt, UNI);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        return guarded
                .onFailure(CircuitBreakerOpenException.class).transform(e -> coolingDown(p, deployment))
                .onFailure().invoke(failure -> {
                    if (failure instanceof UpstreamFailure u) {
                        metrics.upstreamFailure(deployment.key(), u.code());
                    }
                })
                .onTermination().invoke((item, failure, cancelled) -> {
                    if (hold == null || failure != null || cancelled) {
                        release.run();
                    }
                });
    }

    /** The usable deployment to call, with a bulkhead slot and a request of its rpm budget taken. */
    private DeploymentState pick(Deployments.Policy p, List<Deployment> group) {
        int size = group.size();
        int offset = (int) Math.floorMod(turn.getAndIncrement(), (long) size);
        boolean anyClosed = false;
        boolean anyRoom = false;
        DeploymentState best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            DeploymentState state = deployments.state(p, group.get((offset + i) % size));
            if (!state.usable()) {
                continue;
            }
            anyClosed = true;
            if (state.full()) {
                continue;
            }
            anyRoom = true;
            if (!state.withinBudget()) {
                continue;
            }
            int load = state.inFlight();
            if (best == null || (p.leastBusy() && load < bestLoad)) {
                best = state;
                bestLoad = load;
            }
        }
        if (best != null && best.take()) {
            return best;
        }
        String name = group.get(0).modelName();
        if (!anyClosed) {
            metrics.rateLimited("cooldown");
            throw new NoDeploymentAvailable(503, ErrorTypes.SERVER, "service_unavailable",
                    "Every deployment of the model '" + name + "' is cooling down after repeated Bedrock failures.",
                    retryAfter(p.cooldown()));
        }
        if (!anyRoom) {
            metrics.rateLimited("bulkhead");
            throw new NoDeploymentAvailable(429, ErrorTypes.RATE_LIMIT, ErrorTypes.CODE_RATE_LIMIT,
                    "Every deployment of the model '" + name + "' has its maximum of calls in flight; retry shortly.",
                    "1");
        }
        metrics.rateLimited("deployment");
        throw new NoDeploymentAvailable(429, ErrorTypes.RATE_LIMIT, ErrorTypes.CODE_RATE_LIMIT,
                "Every deployment of the model '" + name + "' is at its requests or tokens per minute limit.", "1");
    }

    private static String retryAfter(Duration d) {
        return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
    }

    private static UpstreamFailure coolingDown(Deployments.Policy p, Deployment deployment) {
        return new UpstreamFailure(503, ErrorTypes.SERVER, "service_unavailable", "The deployment " + deployment.key()
                + " is cooling down after repeated Bedrock failures.", Map.of("Retry-After", retryAfter(p.cooldown())),
                null, true);
    }
}
