import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

/**
 * A PostgreSQL and a Redis for the benchmark's governance runs, from the same Maven Central binaries as dev mode and
 * the tests (bench/common.sh start_stores runs it as a single-file program on their class path). Prints
 * {@code DATABASE_URL=...} and {@code REDIS_URL=...}, then serves until killed.
 */
public final class Stores {

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("bench-pg");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1").start();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisServer redis = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"").build();
        redis.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                redis.stop();
                postgres.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println("DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/postgres");
        System.out.println("REDIS_URL=redis://127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
