package dev.bedrockgateway.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.observability.RequestRecord;
import dev.bedrockgateway.routing.BedrockRouter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * One API request's calls to Bedrock, as its surface makes them while answering. Each call is routed to a deployment
 * of the model ({@link BedrockRouter}); a deployment other than the first (a group sibling, a fallback) gets its own
 * translation, made once. What Bedrock reports is noted once, here: the tokens used (against the deployment that
 * answered) and a stream's time to first token.
 *
 * <p>A stream holds its deployment's slot until it ends: completed, failed, or cancelled by the client leaving. A
 * stream that nobody ever reads (the client left between Bedrock's first event and the first write) is cancelled when
 * the exchange ends.
 *
 * @param <T> the surface's translated request
 */
public final class Call<T> {

    private final Pipeline.Services services;
    private final RequestRecord record;
    private final RoutingContext exchange;
    private final String model;
    private final Deployment first;
    private final T translation;
    private final Function<Deployment, T> translate;
    private Map<Deployment, T> others;
    private List<Unread> streams;
    private boolean exchangeOver;

    Call(Pipeline.Services services, RequestRecord record, RoutingContext exchange, String model, Deployment first,
            T translation, Function<Deployment, T> translate) {
        this.services = services;
        this.record = record;
        this.exchange = exchange;
        this.model = model;
        this.first = first;
        this.translation = translation;
        this.translate = translate;
    }

    /** The model name the client sent, which its answer carries. */
    public String model() {
        return model;
    }

    /** The HTTP exchange the request came in. */
    public RoutingContext exchange() {
        return exchange;
    }

    /** The request as translated for the model's first deployment. */
    public T translation() {
        return translation;
    }

    /** One Converse call. */
    public Uni<ConverseResponse> converse(Function<T, ConverseRequest> request) {
        return services.router().route(record, model, d -> services.bedrock().converse(d, request.apply(on(d)))
                .invoke(response -> services.meter().used(record, d, response.usage())), null);
    }

    /**
     * One ConverseStream call, resolved with its first event (so that a failure before it is still an ordinary HTTP
     * error, and may be retried) into the stream of all its events.
     */
    public Uni<Multi<ConverseStreamOutput>> converseStream(Function<T, ConverseStreamRequest> request) {
        watchExchange();
        return services.router().<Multi<ConverseStreamOutput>>route(record, model,
                d -> services.bedrock().converseStream(d, request.apply(on(d))).map(events -> metered(events, d)),
                (events, release) -> track(events.onTermination().invoke(release)));
    }

    /** One InvokeModel call with a model family's own body; its tokens are the surface's to read ({@link #used}). */
    public Uni<InvokeModelResponse> invokeModel(Function<T, byte[]> body) {
        return services.router().route(record, model, d -> services.bedrock().invokeModel(d, body.apply(on(d))),
                null);
    }

    /**
     * Any other call {@code call} makes with the translation for the deployment the router picked; {@code hold}, when
     * given, keeps the deployment's slot until what the call produced ends (see {@link BedrockRouter#route}).
     */
    public <R> Uni<R> route(BiFunction<Deployment, T, Uni<R>> call, BiFunction<R, Runnable, R> hold) {
        return services.router().route(record, model, d -> call.apply(d, on(d)), hold);
    }

    /**
     * Any other streaming call, made by {@code call} into a streamed answer once its first event came (a failure
     * before that is still an ordinary error, and may be retried): the deployment's slot is held until the answer's
     * frames end, and a stream nobody reads is cancelled when the exchange ends. The surface reports the tokens and the
     * first content it reads in the events ({@link #used}, {@link #firstToken}).
     */
    public Uni<Answer> routeStream(BiFunction<Deployment, T, Uni<Answer>> call) {
        watchExchange();
        return services.router().route(record, model, d -> call.apply(d, on(d)),
                (answer, release) -> answer.withFrames(track(answer.frames().onTermination().invoke(release))));
    }

    /** Tokens only the surface can read from Bedrock's answer (InvokeModel bodies), counted once per request. */
    public void used(int inputTokens, int outputTokens) {
        services.meter().used(record, record.deployment(), inputTokens, outputTokens);
    }

    /** The same, with the prompt-cache reads and writes Bedrock counted apart. */
    public void used(TokenUsage usage) {
        services.meter().used(record, record.deployment(), usage);
    }

    /** Notes a stream's first content now (time to first token), if it is the first. */
    public void firstToken() {
        if (record.firstToken(System.nanoTime())) {
            services.metrics().timeToFirstToken(record.endpoint(), record.model(), record.bedrockModel(),
                    record.timeToFirstTokenNanos());
        }
    }

    /** The translation for deployment {@code d}, made when the router first picks it. */
    private T on(Deployment d) {
        if (d == first || d.equals(first)) {
            return translation;
        }
        synchronized (this) {
            if (others == null) {
                others = new HashMap<>(2);
            }
            return others.computeIfAbsent(d, translate);
        }
    }

    /** Passes the events on unchanged, noting the first content delta (TTFT) and the usage in the metadata event. */
    private Multi<ConverseStreamOutput> metered(Multi<ConverseStreamOutput> events, Deployment deployment) {
        return events.onItem().invoke(event -> {
            if (event instanceof ContentBlockDeltaEvent) {
                firstToken();
            } else if (event instanceof ConverseStreamMetadataEvent metadata) {
                services.meter().used(record, deployment, metadata.usage());
            }
        });
    }

    /** Has the exchange's end cancel the streams nobody read; called on the request's own thread, while it runs. */
    private synchronized void watchExchange() {
        if (streams == null) {
            streams = new ArrayList<>(1);
            // Runs once the exchange is over, whichever way: answered, failed, or the client gone.
            exchange.addEndHandler(ended -> exchangeEnded());
        }
    }

    /**
     * Keeps track of a stream until someone subscribes to it. Called where the router hands the stream out, before
     * anything between there and the client could drop it.
     */
    private <E> Multi<E> track(Multi<E> stream) {
        Unread unread = new Unread(stream);
        boolean over;
        synchronized (this) {
            over = exchangeOver;
            if (!over) {
                streams.add(unread);
            }
        }
        if (over) {
            unread.cancelIfUnread();
        }
        return stream.onSubscription().invoke(unread::read);
    }

    private void exchangeEnded() {
        List<Unread> all;
        synchronized (this) {
            exchangeOver = true;
            all = List.copyOf(streams);
        }
        all.forEach(Unread::cancelIfUnread);
    }

    /** A stream and whether it was ever subscribed to. */
    private static final class Unread {
        private final Multi<?> stream;
        private final AtomicBoolean read = new AtomicBoolean();

        Unread(Multi<?> stream) {
            this.stream = stream;
        }

        void read() {
            read.set(true);
        }

        /** Ends a stream nobody will read: its Bedrock call is cancelled and its slot released. */
        void cancelIfUnread() {
            if (read.compareAndSet(false, true)) {
                stream.subscribe().with(item -> { }, failure -> { }).cancel();
            }
        }
    }
}
