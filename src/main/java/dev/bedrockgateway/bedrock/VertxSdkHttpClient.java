package dev.bedrockgateway.bedrock;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

/**
 * The SDK's HTTP client interface on Vert.x's HTTP client, with a connection pool per Vert.x event loop: a Bedrock
 * call made on an event loop (every API request's is) is written, read and decoded on that same loop, with no
 * hand-over to another thread and back. The SDK still does everything else (marshalling, SigV4, the event-stream
 * decoding, unmarshalling); this class only moves the bytes. TLS uses the JVM's trust store, DNS Vert.x's
 * non-blocking resolver.
 */
final class VertxSdkHttpClient implements SdkAsyncHttpClient {

    /**
     * Idle pooled connections are closed after this: sooner than the 60 s the SDK's own HTTP clients keep them, so that
     * the gateway, not the endpoint, is the side that ends an idle connection.
     */
    static final int KEEP_ALIVE_SECONDS = 50;

    private final VertxInternal vertx;
    private final HttpClientOptions options;
    private final PoolOptions pool;
    private final Map<EventLoop, HttpClient> clients = new ConcurrentHashMap<>();

    /**
     * @param maxConnections the most connections open to one Bedrock endpoint, shared evenly by the event loops' pools
     */
    VertxSdkHttpClient(Vertx vertx, Duration connectTimeout, int maxConnections) {
        this.vertx = (VertxInternal) vertx;
        HttpClientOptions http = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setVerifyHost(true);
        // A non-streaming completion can be silent for minutes before its answer: no read timeout here (the request
        // timeout bounds the call). Probes after 60 s of silence, every 10 s, keep NAT gateways from
        // dropping the connection and find a dead peer (epoll; on Java NIO the OS's timings).
        http.setTcpKeepAlive(true).setTcpKeepAliveIdleSeconds(60).setTcpKeepAliveIntervalSeconds(10)
                .setTcpKeepAliveCount(3);
        this.options = http;
        int loops = 0;
        for (var ignored : this.vertx.getEventLoopGroup()) {
            loops++;
        }
        this.pool = new PoolOptions().setHttp1MaxSize(Math.max(1, (maxConnections + loops - 1) / Math.max(1, loops)));
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest call) {
        ContextInternal context = ContextInternal.current();
        if (context == null || !context.isEventLoopContext()) {
            // Not called on an event loop (a test, a blocking caller): any loop will do.
            context = vertx.createEventLoopContext();
        }
        ContextInternal loop = context;
        HttpClient client = clients.computeIfAbsent(loop.nettyEventLoop(),
                ignored -> vertx.createHttpClient(options, pool));
        Exchange exchange = new Exchange(call.responseHandler(), loop);
        RequestOptions target = target(call.request());
        call.requestContentPublisher().subscribe(new Subscriber<ByteBuffer>() {
            private final List<ByteBuffer> parts = new ArrayList<>(1);

            @Override
            public void onSubscribe(Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer part) {
                parts.add(part);
            }

            @Override
            public void onError(Throwable t) {
                exchange.fail(t);
            }

            @Override
            public void onComplete() {
                Buffer body = Buffer.buffer(parts.size() == 1 ? Unpooled.wrappedBuffer(parts.get(0))
                        : Unpooled.wrappedBuffer(parts.toArray(ByteBuffer[]::new)));
                exchange.onLoop(() -> exchange.send(client, target, body));
            }
        });
        return exchange.done;
    }

    private static RequestOptions target(SdkHttpRequest request) {
        RequestOptions target = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method().name()))
                .setHost(request.host())
                .setPort(request.port())
                .setSsl("https".equalsIgnoreCase(request.protocol()))
                .setURI(request.encodedQueryParameters().map(q -> request.encodedPath() + '?' + q)
                        .orElse(request.encodedPath()));
        request.forEachHeader((name, values) -> {
            for (String value : values) {
                target.addHeader(name, value);
            }
        });
        return target;
    }

    /** One call: its request, its response handler, and the future the SDK waits on. */
    private static final class Exchange {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final SdkAsyncHttpResponseHandler handler;
        private final ContextInternal loop;
        private HttpClientRequest request;  // touched on the loop only

        Exchange(SdkAsyncHttpResponseHandler handler, ContextInternal loop) {
            this.handler = handler;
            this.loop = loop;
            // The SDK cancels the future when the call is abandoned (its timeout, the caller giving up).
            done.whenComplete((v, t) -> {
                if (done.isCancelled()) {
                    onLoop(this::reset);
                }
            });
        }

        void send(HttpClient client, RequestOptions target, Buffer body) {
            if (done.isDone()) {
                return;
            }
            client.request(target).onComplete(acquired -> {
                if (acquired.failed()) {
                    fail(acquired.cause());
                    return;
                }
                request = acquired.result();
                if (done.isDone()) {
                    reset();
                    return;
                }
                request.send(body).onComplete(answered -> {
                    if (answered.failed()) {
                        fail(answered.cause());
                        return;
                    }
                    HttpClientResponse response = answered.result();
                    response.pause();
                    SdkHttpFullResponse.Builder headers = SdkHttpFullResponse.builder()
                            .statusCode(response.statusCode())
                            .statusText(response.statusMessage());
                    for (String name : response.headers().names()) {
                        headers.putHeader(name, response.headers().getAll(name));
                    }
                    handler.onHeaders(headers.build());
                    handler.onStream(new Body(response, this));
                });
            });
        }

        void fail(Throwable t) {
            if (done.isDone()) {
                return;
            }
            try {
                handler.onError(t);
            } finally {
                done.completeExceptionally(t);
            }
        }

        void reset() {
            if (request != null) {
                request.reset();
            }
        }

        void onLoop(Runnable action) {
            if (loop.nettyEventLoop().inEventLoop()) {
                action.run();
            } else {
                loop.runOnContext(v -> action.run());
            }
        }
    }

    /** The response body as the SDK reads it, at the pace it asks for. */
    private static final class Body implements Publisher<ByteBuffer> {
        private final HttpClientResponse response;
        private final Exchange exchange;
        private final AtomicBoolean subscribed = new AtomicBoolean();
        private volatile boolean cancelled;

        Body(HttpClientResponse response, Exchange exchange) {
            this.response = response;
            this.exchange = exchange;
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
            if (!subscribed.compareAndSet(false, true)) {
                subscriber.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                subscriber.onError(new IllegalStateException("A response body can be read once"));
                return;
            }
            response.handler(chunk -> {
                if (!cancelled) {
                    subscriber.onNext(chunk.getByteBuf().nioBuffer());
                }
            });
            response.exceptionHandler(t -> {
                if (!cancelled) {
                    subscriber.onError(t);
                }
                exchange.done.completeExceptionally(t);
            });
            response.endHandler(v -> {
                if (!cancelled) {
                    subscriber.onComplete();
                }
                exchange.done.complete(null);
            });
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    if (n <= 0) {
                        cancelled = true;
                        subscriber.onError(new IllegalArgumentException("Reactive Streams 3.9: request(" + n + ")"));
                        exchange.onLoop(exchange::reset);
                        return;
                    }
                    exchange.onLoop(() -> response.fetch(n));
                }

                @Override
                public void cancel() {
                    if (!cancelled) {
                        cancelled = true;
                        exchange.onLoop(exchange::reset);
                    }
                }
            });
        }
    }

    @Override
    public String clientName() {
        return "VertxHttp";
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
        clients.clear();
    }
}
