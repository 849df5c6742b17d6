package dev.bedrockgateway.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Fetches against local HTTP(S) servers on 127.0.0.1 only: every other address in these tests is refused before a
 * connection is made (which is what they check), and host names are resolved by a test resolver or are
 * {@code localhost}.
 */
class ImageFetcherTest {

    private static final String PARAM = "messages[0].content[1].image_url.url";
    private static final int MAX_BYTES = 64 * 1024;
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F',
            0, (byte) 0xFF, (byte) 0xD9};

    /** Self-signed, for {@code img.test} only, valid 2000-2100; test use only. */
    private static final String CERT = """
            -----BEGIN CERTIFICATE-----
            MIIBWDCB/6ADAgECAgIQADAKBggqhkjOPQQDAjATMREwDwYDVQQDDAhpbWcudGVz
            dDAgFw0wMDAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAwMFowEzERMA8GA1UEAwwI
            aW1nLnRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQKp1dXu1NkWsCtWrRx
            koOStHaPfMF3PAzuToQdBErkDLLP/C+tk3d8547PPlKJfE59/SKFOfy0nCPGMDun
            Zw6Xo0EwPzATBgNVHREEDDAKgghpbWcudGVzdDAJBgNVHRMEAjAAMB0GA1UdDgQW
            BBTGYwgxOC8K6WUQOHMbsUHL9tQlIjAKBggqhkjOPQQDAgNIADBFAiEAq9a9oKIa
            NvEW3BMTlFH5j5kN4HeVA6RJDZivi8D4ZkoCIHRsC1bS/tMzERhwQaHyqYXOVrBt
            erWVkv+CUbEJUPgV
            -----END CERTIFICATE-----
            """;
    private static final String KEY = """
            -----BEGIN PRIVATE KEY-----
            MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSd7r49VXtG3o4ID9
            uEVr8+lzx4jo+164DE1idJjSRpGhRANCAAQKp1dXu1NkWsCtWrRxkoOStHaPfMF3
            PAzuToQdBErkDLLP/C+tk3d8547PPlKJfE59/SKFOfy0nCPGMDunZw6X
            -----END PRIVATE KEY-----
            """;

    private static Vertx vertx;
    private static HttpServer server;
    private static HttpServer tlsServer;
    private static int port;
    private static int tlsPort;
    private static final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private static final AtomicInteger totalRequests = new AtomicInteger();
    private static final Map<String, String> seen = new ConcurrentHashMap<>();
    private static volatile CountDownLatch slowClosed = new CountDownLatch(1);

    @BeforeAll
    static void startServers() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(ImageFetcherTest::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        port = server.actualPort();
        tlsServer = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                .setSni(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(CERT))
                        .setKeyValue(Buffer.buffer(KEY))))
                .requestHandler(ImageFetcherTest::handle);
        tlsServer.listen().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        tlsPort = tlsServer.actualPort();
    }

    @AfterAll
    static void stopServers() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void resetCounters() {
        requests.clear();
        totalRequests.set(0);
        seen.clear();
    }

    private static void handle(HttpServerRequest req) {
        String path = req.path();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        totalRequests.incrementAndGet();
        seen.put("host", String.valueOf(req.getHeader("Host")));
        seen.put("sni", String.valueOf(req.connection().indicatedServerName()));
        var response = req.response();
        switch (path) {
            case "/img.png" -> response.putHeader("Content-Type", "image/png").end(Buffer.buffer(PNG));
            case "/img.jpg" -> response.putHeader("Content-Type", "Image/JPEG; charset=binary")
                    .end(Buffer.buffer(JPEG));
            case "/page.html" -> response.putHeader("Content-Type", "text/html; charset=utf-8").end("<html></html>");
            case "/no-type" -> response.end(Buffer.buffer(PNG));
            case "/huge" -> {
                response.setChunked(true).putHeader("Content-Type", "image/png");
                for (int i = 0; i < 16; i++) {
                    response.write(Buffer.buffer(new byte[16 * 1024]));
                }
                response.end();
            }
            case "/declared-huge" -> response.putHeader("Content-Type", "image/png")
                    .end(Buffer.buffer(new byte[MAX_BYTES + 1]));
            case "/exactly-max" -> response.putHeader("Content-Type", "image/png").setChunked(true)
                    .end(Buffer.buffer(new byte[MAX_BYTES]));
            case "/slow" -> {
                CountDownLatch closed = slowClosed;
                req.connection().closeHandler(v -> closed.countDown());
            }
            case "/missing" -> response.setStatusCode(404).end("not found");
            case "/redirect" -> redirect(response, "img.png");
            case "/redirect-no-location" -> response.setStatusCode(302).end();
            case "/redirect-internal" -> redirect(response, "http://127.0.0.2:" + port + "/img.png");
            case "/redirect-ipv6-loopback" -> redirect(response, "http://[::1]:" + port + "/img.png");
            case "/redirect-metadata" -> redirect(response, "http://0xa9fea9fe/latest/meta-data/");
            case "/redirect-ftp" -> redirect(response, "ftp://127.0.0.1/img.png");
            case "/redirect-http" -> redirect(response, "http://img.test:" + port + "/img.png");
            default -> {
                if (path.startsWith("/chain/")) {
                    int left = Integer.parseInt(path.substring("/chain/".length()));
                    response.setStatusCode(left % 2 == 0 ? 301 : 307)
                            .putHeader("Location", left == 0 ? "/img.png" : "/chain/" + (left - 1)).end();
                } else {
                    response.setStatusCode(404).end();
                }
            }
        }
    }

    private static void redirect(io.vertx.core.http.HttpServerResponse response, String location) {
        response.setStatusCode(302).putHeader("Location", location).end("moved");
    }

    private static GatewayConfig config(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put("gateway.images." + keyValues[i], keyValues[i + 1]);
        }
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(GatewayConfig.class)
                .withDefaultValues(values)
                .build()
                .getConfigMapping(GatewayConfig.class);
    }

    /** http allowed, 127.0.0.1 allow-listed, small limits. */
    private static ImageFetcher localFetcher() {
        return localFetcher("5s");
    }

    private static ImageFetcher localFetcher(String timeout) {
        return new ImageFetcher(vertx, config("allow-http", "true", "allowed-hosts", "127.0.0.1",
                "max-bytes", String.valueOf(MAX_BYTES), "timeout", timeout, "max-redirects", "3"));
    }

    private static ImageFetcher withResolver(Map<String, String[]> hosts, String... keyValues) {
        ImageFetcher.Resolver resolver = host -> {
            String[] addresses = hosts.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] result = new InetAddress[addresses.length];
            for (int i = 0; i < addresses.length; i++) {
                result[i] = AddressPolicy.ipLiteral(addresses[i]);
            }
            return result;
        };
        return new ImageFetcher(vertx, config(keyValues), resolver,
                new PemTrustOptions().addCertValue(Buffer.buffer(CERT)));
    }

    private static FetchedImage fetch(ImageFetcher fetcher, String url) {
        return fetcher.fetch(url, PARAM).await().atMost(Duration.ofSeconds(10));
    }

    private static OpenAiException refused(ImageFetcher fetcher, String url, String code, String messagePart) {
        OpenAiException e = assertThrows(OpenAiException.class, () -> fetch(fetcher, url));
        assertEquals(400, e.status());
        assertEquals(ErrorTypes.INVALID_REQUEST, e.type());
        assertEquals(PARAM, e.param());
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        return e;
    }

    private static String local(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static int requestsTo(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    @Test
    void fetchesAnImage() {
        FetchedImage image = fetch(localFetcher(), local("/img.png"));
        assertArrayEquals(PNG, image.bytes());
        assertEquals(ImageType.PNG, image.type());
        assertEquals("127.0.0.1:" + port, seen.get("host"));
    }

    @Test
    void contentTypeParametersAndCaseAreIgnored() {
        FetchedImage image = fetch(localFetcher(), local("/img.jpg"));
        assertArrayEquals(JPEG, image.bytes());
        assertEquals(ImageType.JPEG, image.type());
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() {
        assertEquals(MAX_BYTES, fetch(localFetcher(), local("/exactly-max")).bytes().length);
    }

    @Test
    void nonImageContentTypesAreRefused() {
        refused(localFetcher(), local("/page.html"), ImageFetcher.CODE_IMAGE_FETCH_FAILED, "'text/html'");
        refused(localFetcher(), local("/no-type"), ImageFetcher.CODE_IMAGE_FETCH_FAILED, "no content type");
    }

    @Test
    void bodiesOverTheLimitAreRefused() {
        refused(localFetcher(), local("/huge"), ImageFetcher.CODE_IMAGE_FETCH_FAILED,
                "larger than the limit of " + MAX_BYTES + " bytes");
        refused(localFetcher(), local("/declared-huge"), ImageFetcher.CODE_IMAGE_FETCH_FAILED,
                "larger than the limit of " + MAX_BYTES + " bytes");
    }

    @Test
    void slowHostsTimeOutAndTheRequestIsCancelled() throws Exception {
        slowClosed = new CountDownLatch(1);
        long start = System.nanoTime();
        refused(localFetcher("500ms"), local("/slow"), ImageFetcher.CODE_IMAGE_FETCH_FAILED,
                "timed out after 500 ms");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 450 && millis < 1500, "took " + millis + " ms");
        assertTrue(slowClosed.await(2, TimeUnit.SECONDS), "the connection to the slow host was closed");
    }

    @Test
    void errorStatusesAreReported() {
        refused(localFetcher(), local("/missing"), ImageFetcher.CODE_IMAGE_FETCH_FAILED, "answered HTTP 404");
    }

    @Test
    void redirectsAreFollowed() {
        assertArrayEquals(PNG, fetch(localFetcher(), local("/redirect")).bytes());
        assertEquals(1, requestsTo("/redirect"));
        assertEquals(1, requestsTo("/img.png"));
        assertArrayEquals(PNG, fetch(localFetcher(), local("/chain/2")).bytes(), "three redirects are allowed");
    }

    @Test
    void tooManyRedirectsAreRefused() {
        refused(localFetcher(), local("/chain/3"), ImageFetcher.CODE_IMAGE_FETCH_FAILED,
                "redirected more than 3 times");
        assertEquals(0, requestsTo("/img.png"));
        refused(localFetcher(), local("/redirect-no-location"), ImageFetcher.CODE_IMAGE_FETCH_FAILED,
                "without a Location header");
    }

    @Test
    void redirectsToInternalAddressesAreRefusedBeforeConnecting() {
        refused(localFetcher(), local("/redirect-internal"), ImageFetcher.CODE_INVALID_IMAGE_URL,
                "redirects to host '127.0.0.2', which is a non-public address (loopback)");
        refused(localFetcher(), local("/redirect-ipv6-loopback"), ImageFetcher.CODE_INVALID_IMAGE_URL,
                "non-public address (loopback)");
        refused(localFetcher(), local("/redirect-metadata"), ImageFetcher.CODE_INVALID_IMAGE_URL,
                "non-public address (link-local, the instance metadata endpoint)");
        refused(localFetcher(), local("/redirect-ftp"), ImageFetcher.CODE_INVALID_IMAGE_URL, "scheme 'ftp'");
        assertEquals(0, requestsTo("/img.png"));
        assertEquals(4, totalRequests.get());
    }

    @Test
    void redirectsFromHttpsToHttpAreRefusedUnlessHttpIsAllowed() {
        ImageFetcher fetcher = withResolver(Map.of("img.test", new String[] {"127.0.0.1"}),
                "allowed-hosts", "img.test");
        refused(fetcher, "https://img.test:" + tlsPort + "/redirect-http", ImageFetcher.CODE_INVALID_IMAGE_URL,
                "only https:// image URLs are fetched");
        assertEquals(0, requestsTo("/img.png"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:%d/img.png", "http://localhost:%d/img.png",
            "http://LOCALHOST.:%d/img.png", "http://2130706433:%d/img.png", "http://0x7f000001:%d/img.png",
            "http://017700000001:%d/img.png", "http://127.1:%d/img.png", "http://[::ffff:127.0.0.1]:%d/img.png",
            "http://[::1]:%d/img.png", "http://0.0.0.0:%d/img.png", "http://[::]:%d/img.png"})
    void loopbackIsRefusedWithoutAnAllowListAndNothingIsSent(String template) {
        ImageFetcher fetcher = new ImageFetcher(vertx, config("allow-http", "true", "timeout", "2s"));
        refused(fetcher, String.format(template, port), ImageFetcher.CODE_INVALID_IMAGE_URL, "non-public address");
        assertEquals(0, totalRequests.get());
    }

    @Test
    void cloudMetadataAndClusterAddressesAreRefused() {
        ImageFetcher fetcher = new ImageFetcher(vertx, config("allow-http", "true", "timeout", "2s"));
        refused(fetcher, "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                ImageFetcher.CODE_INVALID_IMAGE_URL, "instance metadata endpoint");
        refused(fetcher, "http://[fd00:ec2::254]/latest/meta-data/", ImageFetcher.CODE_INVALID_IMAGE_URL,
                "instance metadata endpoint");
        refused(fetcher, "https://[::ffff:169.254.169.254]/", ImageFetcher.CODE_INVALID_IMAGE_URL,
                "instance metadata endpoint");
        refused(fetcher, "https://10.100.0.1/", ImageFetcher.CODE_INVALID_IMAGE_URL, "(private)");
        refused(fetcher, "https://100.64.0.10/", ImageFetcher.CODE_INVALID_IMAGE_URL, "(carrier-grade NAT)");
        refused(fetcher, "https://224.0.0.1/", ImageFetcher.CODE_INVALID_IMAGE_URL, "(multicast)");
        refused(fetcher, "https://255.255.255.255/", ImageFetcher.CODE_INVALID_IMAGE_URL, "(broadcast)");
    }

    @Test
    void aHostWithAnyNonPublicAddressIsRefused() {
        ImageFetcher fetcher = withResolver(Map.of(
                "mixed.test", new String[] {"93.184.216.34", "127.0.0.1"},
                "metadata.test", new String[] {"169.254.169.254"},
                "kube.test", new String[] {"2606:4700:4700::1111", "fd12:3456::1"}), "allow-http", "true");
        refused(fetcher, "http://mixed.test:" + port + "/img.png", ImageFetcher.CODE_INVALID_IMAGE_URL,
                "host 'mixed.test', which resolves to a non-public address (loopback)");
        refused(fetcher, "https://metadata.test/", ImageFetcher.CODE_INVALID_IMAGE_URL,
                "instance metadata endpoint");
        refused(fetcher, "https://kube.test/", ImageFetcher.CODE_INVALID_IMAGE_URL, "(unique local)");
        assertEquals(0, totalRequests.get());
    }

    @Test
    void unresolvableHostsAreReported() {
        refused(withResolver(Map.of()), "https://nxdomain.test/img.png", ImageFetcher.CODE_IMAGE_FETCH_FAILED,
                "could not be resolved");
    }

    @Test
    void allowListedRangesConnectToTheCheckedAddressWithTheUrlsHost() {
        ImageFetcher fetcher = withResolver(Map.of("pinned.test", new String[] {"127.0.0.1"}),
                "allow-http", "true", "allowed-hosts", "127.0.0.0/8");
        assertArrayEquals(PNG, fetch(fetcher, "http://pinned.test:" + port + "/img.png").bytes());
        assertEquals("pinned.test:" + port, seen.get("host"));
    }

    @Test
    void hostNamesAreResolvedOffTheEventLoop() throws Exception {
        Map<String, Boolean> onEventLoop = new ConcurrentHashMap<>();
        ImageFetcher.Resolver resolver = host -> {
            onEventLoop.put(host, io.vertx.core.Context.isOnEventLoopThread());
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        };
        ImageFetcher fetcher = new ImageFetcher(vertx, config("allow-http", "true", "allowed-hosts", "127.0.0.1/32"),
                resolver, null);
        var result = new java.util.concurrent.CompletableFuture<FetchedImage>();
        vertx.runOnContext(v -> fetcher.fetch("http://elsewhere.test:" + port + "/img.png", PARAM)
                .subscribe().with(result::complete, result::completeExceptionally));
        assertArrayEquals(PNG, result.get(10, TimeUnit.SECONDS).bytes());
        assertEquals(Boolean.FALSE, onEventLoop.get("elsewhere.test"));
        assertEquals("elsewhere.test:" + port, seen.get("host"));
    }

    @Test
    void allowListedHostNamesMayResolveAnywhere() {
        ImageFetcher fetcher = withResolver(Map.of("img.test", new String[] {"127.0.0.1"},
                "other.test", new String[] {"127.0.0.1"}), "allow-http", "true", "allowed-hosts", "IMG.test");
        assertArrayEquals(PNG, fetch(fetcher, "http://img.test:" + port + "/img.png").bytes());
        refused(fetcher, "http://other.test:" + port + "/img.png", ImageFetcher.CODE_INVALID_IMAGE_URL,
                "non-public address (loopback)");
        assertEquals(1, totalRequests.get());
    }

    @Test
    void httpsUsesTheUrlsHostForSniAndCertificateChecks() {
        ImageFetcher fetcher = withResolver(Map.of("img.test", new String[] {"127.0.0.1"},
                "other.test", new String[] {"127.0.0.1"}), "allowed-hosts", "img.test,other.test");
        FetchedImage image = fetch(fetcher, "https://img.test:" + tlsPort + "/img.png");
        assertArrayEquals(PNG, image.bytes());
        assertEquals("img.test", seen.get("sni"));
        assertEquals("img.test:" + tlsPort, seen.get("host"));
        refused(fetcher, "https://other.test:" + tlsPort + "/img.png", ImageFetcher.CODE_IMAGE_FETCH_FAILED,
                "TLS connection failed");
        assertEquals(1, totalRequests.get());
    }

    @Test
    void theJvmTrustStoreIsUsedByDefault() {
        ImageFetcher fetcher = new ImageFetcher(vertx, config("allowed-hosts", "127.0.0.1"));
        refused(fetcher, "https://127.0.0.1:" + tlsPort + "/img.png", ImageFetcher.CODE_IMAGE_FETCH_FAILED,
                "TLS connection failed");
        assertEquals(0, totalRequests.get());
    }

    @Test
    void httpIsRefusedUnlessAllowed() {
        ImageFetcher fetcher = new ImageFetcher(vertx, config("allowed-hosts", "127.0.0.1"));
        refused(fetcher, local("/img.png"), ImageFetcher.CODE_INVALID_IMAGE_URL, "scheme 'http' is not allowed");
        assertEquals(0, totalRequests.get());
    }

    @Test
    void fetchingCanBeDisabled() {
        ImageFetcher fetcher = new ImageFetcher(vertx,
                config("fetch-enabled", "false", "allow-http", "true", "allowed-hosts", "127.0.0.1"));
        refused(fetcher, local("/img.png"), ImageFetcher.CODE_INVALID_IMAGE_URL, "disabled");
        assertEquals(0, totalRequests.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/img.png", "file:///etc/passwd", "gopher://127.0.0.1:70/",
            "not a url", "https://", "https://exa mple.com/x.png", "https://user:pw@127.0.0.1/img.png",
            "https://256.256.256.256/", "https://[::1/"})
    void unsupportedAndMalformedUrlsAreRefused(String url) {
        refused(localFetcher(), url, ImageFetcher.CODE_INVALID_IMAGE_URL, "Image URL");
        assertEquals(0, totalRequests.get());
    }
}
