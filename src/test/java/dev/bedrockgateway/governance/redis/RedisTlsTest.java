package dev.bedrockgateway.governance.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bedrockgateway.testing.EmbeddedRedis;
import dev.bedrockgateway.testing.TestCertificates;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * {@code rediss://} against a real redis-server that speaks TLS only, with a certificate for {@code DNS:localhost}
 * signed by a test CA: the chain and the host name are both verified.
 */
class RedisTlsTest {

    private static TestCertificates certificates;
    private static EmbeddedRedis server;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.shared();
        server = EmbeddedRedis.startWithTls(certificates.serverCertificatePem(), certificates.serverKeyPem());
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
        server.close();
    }

    @Test
    void redissConnectsWhereVertxRefusedItForWantOfAHostNameVerificationAlgorithm() throws Exception {
        // To the name in the certificate, signed by the CA trusted.
        assertEquals("PONG", ping("rediss://localhost:" + server.port(), certificates.caPem()));
    }

    @Test
    void aHostNameTheCertificateDoesNotNameIsRefused() {
        // The certificate names DNS:localhost only.
        String failure = failure("rediss://127.0.0.1:" + server.port(), certificates.caPem());
        assertTrue(failure.contains("127.0.0.1"), failure);
    }

    @Test
    void aServerTheCaDidNotSignIsRefused() {
        String failure = failure("rediss://localhost:" + server.port(), certificates.otherCaPem());
        assertTrue(failure.contains("PKIX path"), failure);
    }

    @Test
    void byDefaultTheJvmTrustStoreIsTrusted() {
        // It does not hold the test CA.
        String failure = failure("rediss://localhost:" + server.port(), null);
        assertTrue(failure.contains("PKIX path"), failure);
    }

    @Test
    void onlyRedissChecksHostNamesAndTheClientsOtherNetOptionsStay() {
        NetClientOptions tls = RedisClients.options("rediss://localhost:6379", null).getNetClientOptions();
        assertEquals("HTTPS", tls.getHostnameVerificationAlgorithm());
        assertTrue(tls.isTcpKeepAlive() && tls.isTcpNoDelay());
        assertEquals("HTTPS", RedisClients.options("REDISS://h:6379", null).getNetClientOptions()
                .getHostnameVerificationAlgorithm());
        NetClientOptions plain = RedisClients.options("redis://localhost:6379", null).getNetClientOptions();
        assertEquals(new NetClientOptions().getHostnameVerificationAlgorithm(),
                plain.getHostnameVerificationAlgorithm());
        assertTrue(plain.isTcpKeepAlive() && plain.isTcpNoDelay());
    }

    private static String ping(String url, Path ca) throws Exception {
        Redis client = RedisClients.create(vertx, url, ca == null ? null
                : new PemTrustOptions().addCertValue(Buffer.buffer(Files.readAllBytes(ca))));
        try {
            return client.send(Request.cmd(Command.PING)).await().atMost(Duration.ofSeconds(5)).toString();
        } finally {
            client.close();
        }
    }

    private static String failure(String url, Path ca) {
        long start = System.nanoTime();
        Throwable e = assertThrows(Throwable.class, () -> ping(url, ca));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(millis < 3000, "took " + millis + " ms");
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }
}
