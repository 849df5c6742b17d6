package dev.bedrockgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real redis-server (the binary shipped in embedded-redis) on 127.0.0.1 and a free port, which tests can stop and
 * start again on the same port to play an outage. Nothing is persisted: a restarted server is empty, as a Redis
 * without persistence would be.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    /** {@code tls-*} settings when the server speaks TLS only, else empty. */
    private final List<String> tls;
    private RedisServer server;

    private EmbeddedRedis(int port, List<String> tls) {
        this.port = port;
        this.tls = tls;
    }

    /** Starts a server on a free port. */
    public static EmbeddedRedis start() {
        EmbeddedRedis redis = new EmbeddedRedis(freePort(), List.of());
        redis.up();
        return redis;
    }

    /**
     * Starts a server that speaks TLS only, on a free port, with this certificate chain and key (PEM), not asking
     * clients for certificates (as ElastiCache with in-transit encryption).
     */
    public static EmbeddedRedis startWithTls(Path certificateChain, Path key) {
        EmbeddedRedis redis = new EmbeddedRedis(freePort(), List.of("tls-cert-file " + certificateChain,
                "tls-key-file " + key, "tls-auth-clients no"));
        redis.up();
        return redis;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, or {@code rediss://localhost:<port>} for a TLS server (as its certificate). */
    public String url() {
        return tls.isEmpty() ? "redis://127.0.0.1:" + port : "rediss://localhost:" + port;
    }

    /** Starts the server again (after {@link #stop}), on the same port. */
    public synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            RedisServerBuilder builder = RedisServer.newRedisServer().bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no");
            if (tls.isEmpty()) {
                builder.port(port);
            } else {
                // Port 0 turns the plain port off.
                builder.port(0).setting("tls-port " + port);
                tls.forEach(builder::setting);
            }
            server = builder.build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server; clients see their connections closed and new ones refused. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }

    /** Stops the server and starts an empty one on the same port. */
    public void restart() {
        stop();
        up();
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
