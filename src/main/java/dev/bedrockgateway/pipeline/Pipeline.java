package dev.bedrockgateway.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.bedrock.BedrockInvoker;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.governance.Caller;
import dev.bedrockgateway.governance.Governance;
import dev.bedrockgateway.images.FetchedImage;
import dev.bedrockgateway.images.ImageFetcher;
import dev.bedrockgateway.images.RemoteImage;
import dev.bedrockgateway.observability.AccessLog;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.observability.RequestRecord;
import dev.bedrockgateway.routing.BedrockRouter;
import dev.bedrockgateway.translate.UnsupportedParams;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The way every API request to Bedrock goes, whatever its endpoint ({@link Surface}):
 *
 * <ol>
 * <li>read and validate the body;</li>
 * <li>resolve the model in the catalog;</li>
 * <li>the gateway's checks of what the request asks;</li>
 * <li>translate it for the model's first deployment, which validates the rest of it;</li>
 * <li>admission ({@link Governance}): the gateway's and the caller's rate limits, its requests in flight and its
 * budget (a request refused above has used none of them); from here on, the end of the exchange settles it;</li>
 * <li>fetch what the translation names (remote images), once each;</li>
 * <li>route each Bedrock call the surface makes to a deployment ({@link Call}), with retries, cool-downs and
 * fallbacks;</li>
 * <li>answer: the surface writes JSON or a stream; the tokens used are recorded once, as Bedrock reports them.</li>
 * </ol>
 */
@ApplicationScoped
public class Pipeline {

    private static final Uni<Map<String, FetchedImage>> NO_IMAGES = Uni.createFrom().item(Map.of());
    private static final Uni<Governance.Grant> NONE = Uni.createFrom().item(Governance.Grant.NONE);
    private static final CompletableFuture<Governance.Grant> NONE_ADMITTED =
            CompletableFuture.completedFuture(Governance.Grant.NONE);

    /** What the calls of a request use. */
    record Services(BedrockRouter router, BedrockInvoker bedrock, UsageMeter meter, GatewayMetrics metrics) {
    }

    private final ModelCatalog catalog;
    private final Governance governance;
    private final ImageFetcher images;
    private final Services services;

    public Pipeline(ModelCatalog catalog, Governance governance, ImageFetcher images, BedrockRouter router,
            BedrockInvoker bedrock, UsageMeter meter, GatewayMetrics metrics) {
        this.catalog = catalog;
        this.governance = governance;
        this.images = images;
        this.services = new Services(router, bedrock, meter, metrics);
    }

    /**
     * Serves one request of {@code surface}. Failures before the answer starts (thrown, or failing the {@link Uni})
     * reach the client as ordinary HTTP errors in the surface's error shape.
     */
    public <Q, T> Uni<Answer> serve(RoutingContext exchange, byte[] body, Surface<Q, T> surface) {
        RequestRecord record = RequestRecord.of(exchange);
        Parsed<Q> parsed = surface.read(body, exchange);
        Q request = parsed.value();
        String model = surface.model(request);
        Caller caller = Caller.of(exchange);
        if (caller != null && model != null && !caller.mayUse(model)) {
            // As OpenAI answers for a model a key has no access to: no hint that it exists.
            throw OpenAiException.modelNotFound(model);
        }
        Deployment deployment = surface.resolve(catalog, model);
        record.request(surface.endpoint(), model, surface.stream(request));
        surface.check(request);
        boolean dropParams = catalog.current().settings().dropParams();
        Function<Deployment, T> translate = d -> surface.translate(request, d,
                new UnsupportedParams(dropParams, parsed.unknownParams()));
        T first = translate.apply(deployment);
        return admit(exchange, record, caller, deployment, body.length, surface.maxOutputTokens(request))
                .chain(grant -> {
                    List<RemoteImage> remote = surface.remoteImages(first);
                    return (remote.isEmpty() ? NO_IMAGES : fetch(remote))
                            .chain(fetched -> surface.answer(new Call<>(services, record, exchange, model, deployment,
                                    surface.withImages(first, fetched),
                                    d -> surface.withImages(translate.apply(d), fetched))));
                })
                .map(this::counted);
    }

    /**
     * Admission, and its settlement at the end of the exchange, whichever way it ends (answered, failed, client gone).
     * A virtual key's admission asks the shared counters; it runs to its end even if the client leaves meanwhile, so
     * that what it reserved is always released.
     */
    private Uni<Governance.Grant> admit(RoutingContext exchange, RequestRecord record, Caller caller,
            Deployment deployment, long bodyBytes, OptionalInt maxOutputTokens) {
        governance.admitToGateway(record);
        if (!Governance.shared(caller)) {
            if (governance.settles(caller)) {
                settleAtEnd(exchange, record, caller, NONE_ADMITTED); // its spend row
            }
            return NONE;
        }
        CompletableFuture<Governance.Grant> admission = governance.admit(record, caller, deployment, bodyBytes,
                maxOutputTokens).subscribeAsCompletionStage();
        settleAtEnd(exchange, record, caller, admission);
        // A copy: cancelling the request's Uni cancels the copy, never the admission under way.
        return Uni.createFrom().completionStage(admission.copy());
    }

    private void settleAtEnd(RoutingContext exchange, RequestRecord record, Caller caller,
            CompletableFuture<Governance.Grant> admission) {
        Instant start = Instant.now().minusNanos(System.nanoTime() - record.startNanos());
        Runnable settle = () -> admission.thenAccept(grant -> governance.finish(record, caller, grant,
                AccessLog.status(exchange), start));
        if (exchange.response().ended() || exchange.response().closed()) {
            settle.run();
        } else {
            exchange.addEndHandler(ended -> settle.run());
        }
    }

    /** Remote images, fetched concurrently, each URL once. */
    private Uni<Map<String, FetchedImage>> fetch(List<RemoteImage> refs) {
        Map<String, RemoteImage> byUrl = new LinkedHashMap<>();
        refs.forEach(ref -> byUrl.putIfAbsent(ref.url(), ref));
        List<Uni<Map.Entry<String, FetchedImage>>> fetches = byUrl.values().stream()
                .map(ref -> images.fetch(ref.url(), ref.param()).map(image -> Map.entry(ref.url(), image)))
                .toList();
        return Uni.join().all(fetches).andFailFast()
                .map(entries -> entries.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** A stream counts in {@code gateway_streams_in_flight} while the client reads it. */
    private Answer counted(Answer answer) {
        if (answer.frames() == null) {
            return answer;
        }
        GatewayMetrics metrics = services.metrics();
        return answer.withFrames(answer.frames().onSubscription().invoke(metrics::streamOpened)
                .onTermination().invoke(metrics::streamClosed));
    }
}
