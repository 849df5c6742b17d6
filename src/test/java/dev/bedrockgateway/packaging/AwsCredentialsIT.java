package dev.bedrockgateway.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The production artifact gets its AWS credentials the way it does on EKS, from nothing but the environment a pod
 * is given: IRSA's web identity token exchanged with STS, and EKS Pod Identity's container credentials endpoint.
 * A local STS / credentials endpoint and a Bedrock stand-in on 127.0.0.1 check that the token is exchanged and that
 * Bedrock calls are signed with the temporary credentials it returned.
 */
class AwsCredentialsIT {

    static final String ROLE_ARN = "arn:aws:iam::123456789012:role/bedrock-gateway";
    static final String ACCESS_KEY = "ASIAIRSAGATEWAYTEST";
    static final String SECRET = "irsa-secret-must-not-be-logged";
    static final String SESSION_TOKEN = "irsa-session-token-must-not-be-logged";

    @TempDir
    Path dir;

    Vertx vertx;
    /** What the stand-ins received: STS form parameters, the Bedrock calls' headers. */
    final ConcurrentLinkedQueue<Map<String, String>> stsCalls = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Map<String, String>> credentialsCalls = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedDeque<MultiMap> bedrockCalls = new ConcurrentLinkedDeque<>();
    /** The STS stand-in's answer to its n-th call (from 1): temporary credentials, when they are ready. */
    Function<Integer, CompletionStage<String>> sts = n -> CompletableFuture.completedFuture(
            assumedRole(ACCESS_KEY, SESSION_TOKEN, Instant.now().plus(1, ChronoUnit.HOURS)));
    int port;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Process gateway;
    Thread reader;
    final StringBuffer output = new StringBuffer();

    @BeforeEach
    void standIns() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        server.requestHandler(request -> request.body().onSuccess(body -> {
            String path = request.path();
            if (path.startsWith("/model/")) {
                bedrockCalls.add(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
                request.response().putHeader("content-type", "application/json").end("{\"output\":{\"message\":"
                        + "{\"role\":\"assistant\",\"content\":[{\"text\":\"signed by the role\"}]}},"
                        + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":3,\"outputTokens\":4,"
                        + "\"totalTokens\":7},\"metrics\":{\"latencyMs\":1}}");
            } else if (path.equals("/pod-identity/credentials")) {
                credentialsCalls.add(Map.of("authorization", String.valueOf(request.getHeader("Authorization"))));
                request.response().putHeader("content-type", "application/json").end("{\"AccessKeyId\":\""
                        + ACCESS_KEY + "\",\"SecretAccessKey\":\"" + SECRET + "\",\"Token\":\"" + SESSION_TOKEN
                        + "\",\"AccountId\":\"123456789012\",\"Expiration\":\"" + inAnHour() + "\"}");
            } else {
                stsCalls.add(form(body.toString(StandardCharsets.UTF_8)));
                sts.apply(stsCalls.size()).thenAccept(credentials -> request.response()
                        .putHeader("content-type", "text/xml").end(credentials));
            }
        }));
        port = server.listen().toCompletionStage().toCompletableFuture().join().actualPort();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.destroyForcibly();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** IRSA: the EKS pod identity webhook sets these variables and mounts the projected token. */
    @Test
    void irsaWebIdentityTokenIsExchangedWithStsAndSignsBedrockCalls() throws Exception {
        String token = "eyJhbGciOiJSUzI1NiJ9.irsa-web-identity-token.signature";
        Path tokenFile = Files.writeString(dir.resolve("token"), token);
        int[] ports = start(irsa(tokenFile));

        assertReadyAndAnswering(ports);
        Map<String, String> sts = stsCalls.peek();
        assertEquals("AssumeRoleWithWebIdentity", sts.get("Action"), sts.toString());
        assertEquals(ROLE_ARN, sts.get("RoleArn"));
        assertEquals(token, sts.get("WebIdentityToken"));
        assertSignedWithTheTemporaryCredentials();
        assertNoSecretInTheLog(token);
    }

    /**
     * Temporary credentials are renewed before they expire, in the background: a request never waits for STS (it
     * would hold up an event loop and every request on it). STS is made to hang on the renewal; requests go on being
     * signed with the credentials held, and with the new ones once STS answers.
     */
    @Test
    void irsaCredentialsAreRenewedWithoutHoldingUpRequests() throws Exception {
        CompletableFuture<String> renewal = new CompletableFuture<>();
        // The first credentials expire in 110 s. The SDK renews from a random moment 5 to 2 minutes before expiry,
        // so at once, and makes callers wait for STS only in the last minute, 50 s from now. The first two calls get
        // them (the check at start asks a chain of its own, the shared provider the other); every later call to STS
        // hangs until the test lets it answer.
        sts = n -> n <= 2
                ? CompletableFuture.completedFuture(assumedRole(ACCESS_KEY, SESSION_TOKEN,
                        Instant.now().plusSeconds(110)))
                : renewal;
        try {
            int[] ports = start(irsa(Files.writeString(dir.resolve("token"), "eyJ.renewal.token")));
            assertReadyAndAnswering(ports);
            for (int i = 0; i < 8; i++) {
                chat(ports[0]);  // each one fails if it is held up for more than 10 s
            }
            await(() -> stsCalls.size() >= 3, "a renewal was asked of STS");
            assertFalse(renewal.isDone());
            assertSignedWith(ACCESS_KEY, SESSION_TOKEN);

            renewal.complete(assumedRole("ASIARENEWEDGATEWAYTEST", "renewed-session-token",
                    Instant.now().plus(1, ChronoUnit.HOURS)));
            await(() -> {
                chat(ports[0]);
                return "ASIARENEWEDGATEWAYTEST".equals(accessKey(bedrockCalls.peekLast()));
            }, "requests are signed with the renewed credentials");
            assertSignedWith("ASIARENEWEDGATEWAYTEST", "renewed-session-token");
        } finally {
            renewal.complete("");
        }
    }

    /** EKS Pod Identity: the agent's credentials endpoint and the token it authorizes calls with. */
    @Test
    void podIdentityContainerCredentialsSignBedrockCalls() throws Exception {
        String token = "pod-identity-authorization-token";
        Path tokenFile = Files.writeString(dir.resolve("eks-pod-identity-token"), token);
        int[] ports = start(Map.of(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:" + port + "/pod-identity/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString(),
                "AWS_REGION", "us-east-1"));

        assertReadyAndAnswering(ports);
        assertEquals(token, credentialsCalls.peek().get("authorization"));
        assertTrue(stsCalls.isEmpty());
        assertSignedWithTheTemporaryCredentials();
        assertNoSecretInTheLog(token);
    }

    /**
     * No credentials anywhere: a warning at start naming what the SDK tried, readiness DOWN with the same reason, and
     * a 502 whose message carries it, so that "running but not ready" explains itself.
     */
    @Test
    void withoutCredentialsTheWarningReadinessAndThe502SayWhy() throws Exception {
        int[] ports = start(Map.of("AWS_REGION", "us-east-1", "AWS_EC2_METADATA_DISABLED", "true"));
        // Before anything probed or called it: nothing probes readiness outside Kubernetes.
        await(() -> output.toString().contains("No AWS credentials resolve"), "the start-up warning\n" + output);
        HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ports[1] + "/q/health/ready")).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("Unable to load credentials from any of the providers"), ready.body());
        assertTrue(ready.body().contains("EnvironmentVariableCredentialsProvider"), ready.body());
        HttpResponse<String> chat = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/v1/chat/completions"))
                        .header("Authorization", "Bearer sk-credentials").header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\","
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(502, chat.statusCode(), chat.body());
        assertTrue(chat.body().contains("\"upstream_unreachable\""), chat.body());
        assertTrue(chat.body().contains("The gateway has no AWS credentials to call Bedrock with: Unable to load"
                + " credentials"), chat.body());
        assertEquals(0, bedrockCalls.size(), "nothing unsigned reached Bedrock");
        assertEquals(1, output.toString().split("No AWS credentials resolve", -1).length - 1,
                "one warning per outage, not one per check\n" + output);
    }

    private void assertReadyAndAnswering(int[] ports) throws Exception {
        HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ports[1] + "/q/health/ready")).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body() + "\n" + output);
        chat(ports[0]);
    }

    private void chat(int port) throws Exception {
        HttpResponse<String> chat = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                        .header("Authorization", "Bearer sk-credentials").header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\","
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, chat.statusCode(), chat.body() + "\n" + output);
        assertTrue(chat.body().contains("signed by the role"), chat.body());
    }

    private void assertSignedWithTheTemporaryCredentials() {
        assertEquals(1, bedrockCalls.size());
        assertSignedWith(ACCESS_KEY, SESSION_TOKEN);
    }

    /** The last Bedrock call was SigV4-signed for Bedrock in us-east-1 with this key and session token. */
    private void assertSignedWith(String accessKey, String sessionToken) {
        MultiMap headers = bedrockCalls.peekLast();
        String authorization = headers.get("Authorization");
        assertEquals(accessKey, accessKey(headers), authorization);
        assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential="), authorization);
        assertTrue(authorization.contains("/us-east-1/bedrock/aws4_request"), authorization);
        assertEquals(sessionToken, headers.get("X-Amz-Security-Token"));
    }

    private static String accessKey(MultiMap headers) {
        String authorization = headers.get("Authorization");
        int start = authorization.indexOf("Credential=") + "Credential=".length();
        return authorization.substring(start, authorization.indexOf('/', start));
    }

    private static void await(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(100);
        }
    }

    /** What the EKS pod identity webhook sets for IRSA, with STS on 127.0.0.1. */
    private Map<String, String> irsa(Path tokenFile) {
        return Map.of(
                "AWS_ROLE_ARN", ROLE_ARN,
                "AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString(),
                "AWS_STS_REGIONAL_ENDPOINTS", "regional",
                "AWS_REGION", "us-east-1",
                "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + port);
    }

    /**
     * Also the plain run's stop, which has no drain delay (only the Kubernetes Deployment sets one): prompt, and said
     * in one line.
     */
    private void assertNoSecretInTheLog(String token) throws Exception {
        // SIGTERM through the handle: Process.destroy() would also close the pipe the log is still read from.
        gateway.toHandle().destroy();
        assertTrue(gateway.waitFor(5, TimeUnit.SECONDS), "the gateway stopped promptly");
        reader.join(10_000);
        String log = output.toString();
        // The thread is Quarkus' main thread or its shutdown hook's; the last request may count as in flight.
        assertTrue(Pattern.compile("INFO  \\[dev\\.bedrockgateway\\.health\\.ShutdownAnnouncement] \\([^)]+\\) "
                + Pattern.quote("Shutting down: no drain delay (set QUARKUS_SHUTDOWN_DELAY behind a load balancer); up "
                + "to 60 s (quarkus.shutdown.timeout) for the requests in flight (") + "[01] requests? now\\)\n")
                .matcher(log).find(), log);
        assertTrue(log.contains("/v1/chat/completions"), "the access line was logged:\n" + log);
        for (String secret : List.of(SECRET, SESSION_TOKEN, token, "sk-credentials")) {
            assertFalse(log.contains(secret), secret + " reached the log:\n" + log);
        }
    }

    /** Starts the packaged gateway with only the given AWS variables and no home directory's ~/.aws. */
    private int[] start(Map<String, String> aws) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Artifact.command(
                "-Dquarkus.http.port=0", "-Dquarkus.management.port=0", "-Dgateway.master-key=sk-credentials",
                "-Dgateway.bedrock.endpoint-override=http://127.0.0.1:" + port))
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().put("HOME", dir.toString());
        builder.environment().putAll(aws);
        gateway = builder.start();
        BufferedReader log = new BufferedReader(new InputStreamReader(gateway.getInputStream(),
                StandardCharsets.UTF_8));
        int[] ports = StartupLog.ports(log, line -> output.append(line).append('\n'));
        reader = new Thread(() -> {
            try {
                log.lines().forEach(l -> output.append(l).append('\n'));
            } catch (UncheckedIOException e) {
                // the pipe closed: a test that failed early destroyed the process
            }
        });
        reader.setDaemon(true);
        reader.start();
        return ports;
    }

    static String assumedRole(String accessKey, String sessionToken, Instant expiration) {
        return """
                <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleWithWebIdentityResult>
                    <SubjectFromWebIdentityToken>system:serviceaccount:gateway:bedrock-gateway</SubjectFromWebIdentityToken>
                    <AssumedRoleUser>
                      <Arn>arn:aws:sts::123456789012:assumed-role/bedrock-gateway/session</Arn>
                      <AssumedRoleId>AROAGATEWAYTEST:session</AssumedRoleId>
                    </AssumedRoleUser>
                    <Credentials>
                      <AccessKeyId>%s</AccessKeyId>
                      <SecretAccessKey>%s</SecretAccessKey>
                      <SessionToken>%s</SessionToken>
                      <Expiration>%s</Expiration>
                    </Credentials>
                  </AssumeRoleWithWebIdentityResult>
                  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000001</RequestId></ResponseMetadata>
                </AssumeRoleWithWebIdentityResponse>
                """.formatted(accessKey, SECRET, sessionToken, expiration.truncatedTo(ChronoUnit.SECONDS));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static String inAnHour() {
        return Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
