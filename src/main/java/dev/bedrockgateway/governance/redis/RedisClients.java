package dev.bedrockgateway.governance.redis;

import java.net.URI;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.TrustOptions;
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
     * A pooled client for {@code url}: {@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS
     * (the server's certificate verified against the JVM's default trust store, and its host name checked).
     * Connects lazily, so creating it succeeds whether or not Redis is up.
     */
    public static Redis create(Vertx vertx, String url) {
        return Redis.createClient(vertx, options(url, null));
    }

    /** As {@link #create(Vertx, String)}, trusting {@code trust} for {@code rediss://} instead of the JVM's store. */
    static Redis create(Vertx vertx, String url, TrustOptions trust) {
        return Redis.createClient(vertx, options(url, trust));
    }

    static RedisOptions options(String url, TrustOptions trust) {
        RedisOptions options = new RedisOptions().setConnectionString(url)
                .setMaxPoolSize(POOL_SIZE)
                .setMaxPoolWaiting(POOL_WAITING)
                .setMaxWaitingHandlers(POOL_WAITING);
        if (url.regionMatches(true, 0, "rediss:", 0, "rediss:".length())) {
            // Vert.x 4.5 refuses a TLS client connection whose options name no host name verification algorithm
            // ("Missing hostname verification algorithm"), and the default names none: rediss:// did not connect at
            // all without this. HTTPS checks that the certificate names the URL's host, as ElastiCache's name its
            // endpoints. The client's other net options (keep-alive, no delay) stay as they are.
            NetClientOptions net = options.getNetClientOptions().setHostnameVerificationAlgorithm("HTTPS");
            if (trust != null) {
                net.setTrustOptions(trust);
            }
        }
        return options;
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
