import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

/**
 * The least a JVM HTTP hop costs on this machine, for bench/hop: a reverse proxy on the gateway's own Vert.x and
 * Netty (the jars of its build), with nothing else — no parsing, translation, signing, routing, metrics or logging.
 * Every POST it receives is sent, body and SigV4 headers unchanged, to one path of the upstream, and the upstream's
 * answer is returned: whole, or with {@code stream} piped through as its bytes arrive (a ConverseStream's frames, for
 * the least a hop adds to the time to first token).
 * It is not part of the gateway; it runs from source ({@code java -cp <jars> bench/BareProxy.java}).
 *
 * <pre>java -cp VERTX_AND_NETTY_JARS bench/BareProxy.java PORT UPSTREAM_PORT UPSTREAM_PATH [stream]</pre>
 */
public class BareProxy {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        String upstreamPath = args[2];
        boolean stream = args.length > 3 && args[3].equals("stream");
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        // One instance per event loop, as Quarkus runs its HTTP server; each with its own pooled, kept-alive client.
        int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                HttpClient upstream = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                        new PoolOptions().setHttp1MaxSize(128));
                vertx.createHttpServer().requestHandler(request -> {
                    var answered = request.body()
                            .compose(body -> upstream.request(HttpMethod.POST, upstreamPort, "127.0.0.1", upstreamPath)
                                    .compose(out -> out.putHeader("content-type", "application/json")
                                            .putHeader("authorization", request.getHeader("authorization"))
                                            .putHeader("x-amz-date", request.getHeader("x-amz-date")).send(body)));
                    if (stream) {
                        answered.compose(answer -> {
                            request.response().setChunked(true)
                                    .putHeader("content-type", answer.getHeader("content-type"));
                            return answer.pipeTo(request.response());
                        }).onFailure(failure -> request.response().reset());
                        return;
                    }
                    answered.compose(answer -> answer.body())
                            .onSuccess(answer -> request.response().putHeader("content-type", "application/json")
                                    .end(answer))
                            .onFailure(failure -> request.response().setStatusCode(502).end(String.valueOf(failure)));
                }).listen(port, "127.0.0.1");
            }
        }, new DeploymentOptions().setInstances(loops)).onSuccess(id -> System.out.println(
                "bare proxy on 127.0.0.1:" + port + " (" + loops + " event loops, native transport "
                        + vertx.isNativeTransportEnabled() + ")"))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
    }
}
