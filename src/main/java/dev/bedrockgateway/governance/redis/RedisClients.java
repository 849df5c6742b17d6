package dev.bedrockgateway.governance.redis;

import java.net.URI;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** Creates the gateway's Redis clients, and names a Redis server in logs without its password. */
public final class RedisClients {

    /**
     * Connections per client. The counters pipeline all their commands on one of them ({@link PipelinedConnection});
     * the others serve calls that hold a connection only for their round trip (publishing events).
     */
    private static final int POOL_SIZE = 16;
    /**
     * Calls that may wait for a connection. The client's default (24) would refuse calls in a burst long before
     * Redis is slow; every call is bounded by the store timeout anyway, so waiting is the better failure.
     */
    private static final int POOL_WAITING = 4096;

    private RedisClients() {
    }

    /**
     * A pooled client for {@code url}: {@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS.
     * Connects lazily, so creating it succeeds whether or not Redis is up.
     */
    public static Redis create(Vertx vertx, String url) {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
                .setMaxPoolSize(POOL_SIZE)
                .setMaxPoolWaiting(POOL_WAITING)
                .setMaxWaitingHandlers(POOL_WAITING));
    }

    /** {@code url} as it may be logged: scheme, host, port and database, never the user or password. */
    public static String redacted(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return uri.getScheme() + "://?";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException e) {
            return "(unparsable Redis URL)";
        }
    }
}
