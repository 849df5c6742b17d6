package dev.bedrockgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A test CA, a server certificate it signed for {@code DNS:localhost} only, and a second CA that signed nothing, as PEM
 * files for TLS servers (PostgreSQL, Redis) and their clients. Made with the JDK's {@code keytool} (no extra
 * dependency), EC P-256 keys, valid for two days.
 */
public final class TestCertificates implements AutoCloseable {

    private static final String PASSWORD = "changeit";

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    private static TestCertificates shared;

    /** One set for the test JVM (keytool takes seconds), deleted when it exits. */
    public static synchronized TestCertificates shared() {
        if (shared == null) {
            shared = create();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public static TestCertificates create() {
        try {
            Path dir = Files.createTempDirectory("bg-tls");
            TestCertificates c = new TestCertificates(dir);
            List<Process> keys = new ArrayList<>();
            keys.add(c.keytool("-genkeypair", "-keystore", "ca.p12", "-alias", "ca", "-dname",
                    "CN=bedrock-gateway test CA", "-ext", "bc:c"));
            keys.add(c.keytool("-genkeypair", "-keystore", "other-ca.p12", "-alias", "ca", "-dname",
                    "CN=bedrock-gateway other test CA", "-ext", "bc:c"));
            keys.add(c.keytool("-genkeypair", "-keystore", "server.p12", "-alias", "server", "-dname", "CN=localhost"));
            for (Process p : keys) {
                c.await(p);
            }
            c.await(c.keytool("-certreq", "-keystore", "server.p12", "-alias", "server", "-file", "server.csr"));
            c.await(c.keytool("-gencert", "-keystore", "ca.p12", "-alias", "ca", "-infile", "server.csr", "-outfile",
                    "server.crt", "-rfc", "-ext", "san=dns:localhost", "-ext", "eku=serverAuth"));

            Files.writeString(c.caPem(), pem("CERTIFICATE", c.load("ca.p12").getCertificate("ca").getEncoded()));
            Files.writeString(c.otherCaPem(),
                    pem("CERTIFICATE", c.load("other-ca.p12").getCertificate("ca").getEncoded()));
            // The server's chain: its certificate, then the CA's (a server usually sends its intermediates).
            Files.writeString(c.serverCertificatePem(), Files.readString(dir.resolve("server.crt")).strip() + "\n"
                    + Files.readString(c.caPem()));
            Path key = c.serverKeyPem();
            Files.writeString(key, pem("PRIVATE KEY",
                    c.load("server.p12").getKey("server", PASSWORD.toCharArray()).getEncoded()));
            // PostgreSQL refuses a key others may read.
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA that signed the server's certificate. */
    public Path caPem() {
        return directory.resolve("ca.pem");
    }

    /** A CA that did not sign the server's certificate. */
    public Path otherCaPem() {
        return directory.resolve("other-ca.pem");
    }

    /** The server's certificate ({@code DNS:localhost}, no IP address) followed by the CA's. */
    public Path serverCertificatePem() {
        return directory.resolve("server.pem");
    }

    /** The server's private key, PKCS#8, readable by its owner only. */
    public Path serverKeyPem() {
        return directory.resolve("server.key");
    }

    private Process keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
        if (arguments[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        } else if (arguments[0].equals("-gencert")) {
            command.addAll(List.of("-validity", "2"));
        }
        return new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    }

    private void await(Process p) throws IOException {
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private KeyStore load(String file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(directory.resolve(file))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
