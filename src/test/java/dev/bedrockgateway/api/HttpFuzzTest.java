package dev.bedrockgateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.OpenAiSchemas;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The HTTP layer under bad input, spoken byte for byte over a socket: malformed URIs, over-long request lines and
 * headers, methods an endpoint does not take, and random paths and queries. Whatever the input, the answer is a 4xx
 * in OpenAI's error shape: never a 5xx, a bare status without a body, or a hang.
 */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
public class HttpFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "Bearer sk-test-key-1";
    /** gateway.limits.max-uri-bytes, its default. */
    private static final int MAX_URI_BYTES = 8192;

    /** One answer as it came over the wire. */
    record Reply(int status, String head, String body) {
        JsonNode error() {
            try {
                return JSON.readTree(body).path("error");
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return head + "\r\n\r\n" + body;
        }
    }

    /**
     * Sends {@code method target HTTP/1.1} with the key, {@code Connection: close} and the extra header lines, and a
     * JSON body for methods that carry one; reads the whole answer (at most 10 s: a hang fails the test).
     */
    static Reply send(String method, String target, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: localhost\r\nAuthorization: ").append(KEY).append("\r\nConnection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            boolean body = !method.equals("GET") && !method.equals("HEAD");
            if (body) {
                request.append("Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            } else {
                request.append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String reply = readAll(socket.getInputStream());
            int split = reply.indexOf("\r\n\r\n");
            assertTrue(reply.startsWith("HTTP/1.1 ") && split > 0, "no HTTP answer to " + method + " " + target
                    + ": " + reply);
            String head = reply.substring(0, split);
            return new Reply(Integer.parseInt(head.substring(9, 12)), head, reply.substring(split + 4));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0;) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            fail("no complete answer within 10 s: " + bytes.toString(StandardCharsets.UTF_8));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A 4xx whose body is OpenAI's error object with the given code. */
    private static void assertOpenAiError(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.toString());
        assertTrue(reply.head().toLowerCase(Locale.ROOT).contains("content-type: application/json"), reply.head());
        OpenAiSchemas.assertValid("ErrorResponse", reply.body());
        assertEquals("invalid_request_error", reply.error().path("type").asText(), reply.toString());
        assertEquals(code, reply.error().path("code").asText(), reply.toString());
    }

    /** Regression: a malformed query string got Quarkus's bare 400 with an empty body, and no access line. */
    @ParameterizedTest
    @ValueSource(strings = { "POST /v1/completions?%zz", "POST /v1/chat/completions?a=%G1", "GET /v1/models?%",
            "GET /v1/models?x=%E0%A4%A", "GET /models?q=%%" })
    void malformedQueryStringsAre400InOpenAiShape(String request) throws IOException {
        String[] parts = request.split(" ");
        assertOpenAiError(send(parts[0], parts[1]), 400, "invalid_url");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/v1/%zz", "/v1/models/%zz", "/v1/models/a%2", "/v1/chat/completions%" })
    void malformedPathsAre400InOpenAiShape(String path) throws IOException {
        assertOpenAiError(send("GET", path), 400, "invalid_url");
    }

    /** Regression: an over-long request line got the HTTP layer's bare 414 with an empty body. */
    @Test
    void aUrlOverTheLimitIs414InOpenAiShape() throws IOException {
        String prefix = "/v1/models?q=";
        assertOpenAiError(send("GET", prefix + "a".repeat(MAX_URI_BYTES + 1 - prefix.length())), 414, "url_too_long");
        assertOpenAiError(send("POST", "/v1/chat/completions?q=" + "b".repeat(20_000)), 414, "url_too_long");
    }

    @Test
    void aUrlAtTheLimitIsServed() throws IOException {
        String prefix = "/v1/models?q=";
        Reply reply = send("GET", prefix + "a".repeat(MAX_URI_BYTES - prefix.length()));
        assertEquals(200, reply.status(), reply.toString());
        OpenAiSchemas.assertValid("ListModelsResponse", reply.body());
    }

    @Test
    void headerBlocksOverTheLimitAre431InOpenAiShape() throws IOException {
        assertOpenAiError(send("GET", "/v1/models", "X-Big: " + "x".repeat(40_000)), 431,
                "request_headers_too_large");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            many.add("X-Header-" + i + ": " + "v".repeat(30));
        }
        assertOpenAiError(send("POST", "/v1/chat/completions", many.toArray(String[]::new)), 431,
                "request_headers_too_large");
    }

    @ParameterizedTest
    @ValueSource(strings = { "BREW /v1/chat/completions", "DELETE /v1/chat/completions", "PUT /v1/completions",
            "PATCH /v1/embeddings", "GET /v1/embeddings", "POST /v1/models", "DELETE /v1/models/gpt-4o" })
    void methodsAnEndpointDoesNotTakeAre405InOpenAiShape(String request) throws IOException {
        String[] parts = request.split(" ");
        assertOpenAiError(send(parts[0], parts[1]), 405, "method_not_allowed");
    }

    /**
     * Random requests built from the pieces URLs go wrong with: whatever comes out, the gateway answers it, below 500,
     * and every refusal is an OpenAI error. The seed is fixed, so a failure reproduces.
     */
    @Test
    void randomPathsAndQueriesNeverGetA5xxOrABareStatus() throws IOException {
        String[] pieces = { "/v1", "/models", "/chat", "/completions", "/embeddings", "/gpt-4o", "%", "%2F", "%00",
                "%zz", "%C3%A9", "é", "..", "/./", "//", "?", "&", "=", "#", "[", "]", "{", "|", "\\", "^", "`", "'",
                "\"", "<", ">", ";", ",", "+", "*", "~", "!", "$", "@", ":" };
        String[] methods = { "GET", "POST", "PUT", "DELETE", "PATCH" };
        Random random = new Random(20261206);
        for (int i = 0; i < 150; i++) {
            StringBuilder target = new StringBuilder("/");
            int count = 1 + random.nextInt(6);
            for (int j = 0; j < count; j++) {
                target.append(pieces[random.nextInt(pieces.length)]);
            }
            String method = methods[random.nextInt(methods.length)];
            Reply reply = send(method, target.toString());
            String what = method + " " + target + " -> " + reply;
            assertTrue(reply.status() >= 200 && reply.status() < 500, what);
            if (reply.status() >= 400) {
                OpenAiSchemas.assertValid("ErrorResponse", reply.body());
            }
        }
    }
}
