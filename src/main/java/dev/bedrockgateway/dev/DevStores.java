package dev.bedrockgateway.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.bedrockgateway.governance.StoreUrls;
import io.quarkus.arc.profile.IfBuildProfile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

/**
 * Dev mode's governance stores when no URL is configured: a real PostgreSQL and a real Redis from the binaries
 * published on Maven Central (provided-scope dependencies: on dev mode's class path, never in a package), on
 * 127.0.0.1. PostgreSQL keeps its data in {@code target/dev-stores/postgres}, so keys made in dev mode survive a
 * restart of it; Redis keeps only counters, which start afresh. Quarkus Dev Services would need a container engine.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DevStores implements StoreUrls.Local {

    private static final Logger LOG = Logger.getLogger(DevStores.class);
    private static final Path HOME = Path.of("target", "dev-stores");

    private EmbeddedPostgres postgres;
    private RedisServer redis;
    private String redisUrl;

    @Override
    public synchronized Optional<String> database() {
        if (postgres == null) {
            try {
                Path data = HOME.resolve("postgres");
                Files.createDirectories(data);
                postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                        .setServerConfig("listen_addresses", "127.0.0.1").start();
                LOG.infof("Dev mode: PostgreSQL on 127.0.0.1:%d (data in %s)", postgres.getPort(), data);
            } catch (IOException e) {
                throw new UncheckedIOException("Dev mode could not start its PostgreSQL: set GATEWAY_DATABASE_URL", e);
            }
        }
        return Optional.of("postgresql://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/postgres");
    }

    @Override
    public synchronized Optional<String> redis() {
        if (redis == null) {
            try {
                int port;
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
                redis = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"").build();
                redis.start();
                redisUrl = "redis://127.0.0.1:" + port;
                LOG.infof("Dev mode: Redis on 127.0.0.1:%d", port);
            } catch (IOException e) {
                throw new UncheckedIOException("Dev mode could not start its Redis: set GATEWAY_REDIS_URL", e);
            }
        }
        return Optional.of(redisUrl);
    }

    @PreDestroy
    synchronized void stop() {
        try {
            if (redis != null) {
                redis.stop();
            }
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            LOG.warnf("Dev mode's stores did not stop cleanly: %s", e.getMessage());
        }
        redis = null;
        postgres = null;
    }
}
