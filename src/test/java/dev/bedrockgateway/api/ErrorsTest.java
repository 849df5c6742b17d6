package dev.bedrockgateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URL;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.OpenAiSchemas;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Every error the gateway can answer has OpenAI's shape and the right status; none is a 500 or a hang. */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
class ErrorsTest {

    static final String KEY = "Bearer sk-test-key-1";
    static final String HELLO = """
            {"model":"bedrock-claude-3-sonnet","messages":[{"role":"user","content":"Hi"}]}""";

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @TestHTTPResource("/v1/chat/completions")
    URL chatUrl;

    @BeforeEach
    void reset() {
        bedrock.resetAll();
    }

    private static Response chat(String body) {
        return given().header("Authorization", KEY).contentType(ContentType.JSON).body(body)
                .post("/v1/chat/completions");
    }

    private static void assertOpenAiError(Response response, int status, String type, String code, String param) {
        response.then().statusCode(status).contentType(ContentType.JSON)
                .body("error.type", equalTo(type))
                .body("error.code", equalTo(code))
                .body("error.param", equalTo(param))
                .body("error.message", not(containsString("software.amazon")))
                .body("error.message", not(containsString("\tat ")));
        OpenAiSchemas.assertValid("ErrorResponse", response.asString());
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
            "400,ValidationException,400,invalid_request_error,invalid_request",
            "403,AccessDeniedException,403,permission_error,access_denied",
            "404,ResourceNotFoundException,404,invalid_request_error,model_not_found",
            "429,ThrottlingException,429,rate_limit_error,rate_limit_exceeded",
            "400,ServiceQuotaExceededException,429,rate_limit_error,quota_exceeded",
            "408,ModelTimeoutException,504,server_error,timeout",
            "503,ServiceUnavailableException,503,server_error,service_unavailable",
            "429,ModelNotReadyException,503,server_error,model_not_ready",
            "500,InternalServerException,502,server_error,upstream_error",
            "424,ModelErrorException,502,server_error,upstream_error",
            "403,InvalidSignatureException,502,server_error,upstream_error" })
    void bedrockErrorsMapToOpenAiErrors(int upstreamStatus, String errorType, int status, String type, String code) {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(
                ConverseReplies.error(upstreamStatus, errorType, "upstream says " + errorType)));
        Response response = chat(HELLO);
        assertOpenAiError(response, status, type, code, null);
        response.then().body("error.message", not(containsString("Request ID")))
                .body("error.message", not(containsString("11111111-1111")));
        if (status == 429 || status == 503) {
            response.then().header("Retry-After", equalTo("1"));
        }
        if (errorType.equals("InvalidSignatureException")) {
            // Signature errors quote the canonical request: never passed on.
            response.then().body("error.message", not(containsString("upstream says")));
        } else {
            response.then().body("error.message", containsString("upstream says " + errorType));
        }
    }

    @Test
    void unreachableBedrockIs502() {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withFault(
                        com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        assertOpenAiError(chat(HELLO), 502, "server_error", "upstream_unreachable", null);
    }

    @Test
    void unknownModelIs404ModelNotFoundAndBedrockIsNotCalled() {
        Response response = chat("""
                {"model":"gpt-17","messages":[{"role":"user","content":"Hi"}]}""");
        // OpenAI's own answer: the name in backticks, param null.
        assertOpenAiError(response, 404, "invalid_request_error", "model_not_found", null);
        response.then().body("error.message",
                equalTo("The model `gpt-17` does not exist or you do not have access to it."));
        bedrock.verify(0, postRequestedFor(urlPathMatching("/.*")));
    }

    @Test
    void malformedJsonIs400() {
        assertOpenAiError(chat("{\"model\": \"gpt-4o\", \"messages\": ["), 400, "invalid_request_error",
                "invalid_json", null);
        assertOpenAiError(chat("{} trailing"), 400, "invalid_request_error", "invalid_json", null);
        assertOpenAiError(chat("[1,2]"), 400, "invalid_request_error", "invalid_type", null);
        assertOpenAiError(chat(""), 400, "invalid_request_error", "invalid_json", null);
        assertOpenAiError(chat("null"), 400, "invalid_request_error", "invalid_json", null);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":\"hot\"}|temperature",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":1.5}|max_tokens",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"n\":\"1\"}|n",
            "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|model",
            "{\"model\":\"gpt-4o\",\"messages\":{\"role\":\"user\"}}|messages",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":42}]}|messages[0].content",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":\"yes\"}|stream",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":7}]}]}|messages[0].content[0].text" })
    void wrongTypesAre400NamingTheParam(String body, String param) {
        assertOpenAiError(chat(body), 400, "invalid_request_error", "invalid_type", param);
    }

    @Test
    void badRolesAndPartTypesName400() {
        assertOpenAiError(chat("""
                {"model":"gpt-4o","messages":[{"role":"robot","content":"Hi"}]}"""), 400, "invalid_request_error",
                "invalid_value", "messages[0].role");
        assertOpenAiError(chat("""
                {"model":"gpt-4o","messages":[{"content":"Hi"}]}"""), 400, "invalid_request_error", null,
                "messages[0].role");
        assertOpenAiError(chat("""
                {"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"video","url":"x"}]}]}"""), 400,
                "invalid_request_error", "invalid_value", "messages[0].content[0].type");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "\"n\":2|n",
            "\"logprobs\":true|logprobs",
            "\"top_logprobs\":3|top_logprobs",
            "\"presence_penalty\":0.5|presence_penalty",
            "\"frequency_penalty\":-1|frequency_penalty",
            "\"seed\":42|seed",
            "\"logit_bias\":{\"50256\":-100}|logit_bias",
            "\"store\":true|store",
            "\"audio\":{\"voice\":\"alloy\",\"format\":\"mp3\"}|audio",
            "\"functions\":[{\"name\":\"f\"}]|functions",
            "\"parallel_tool_calls\":false|parallel_tool_calls",
            "\"web_search_options\":{}|web_search_options",
            "\"frobnicate\":true|frobnicate" })
    void optionsBedrockCannotHonourAre400NamingTheParam(String option, String param) {
        Response response = chat("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],%s}""".formatted(option));
        String code = param.equals("frobnicate") ? "unknown_parameter" : "unsupported_parameter";
        assertOpenAiError(response, 400, "invalid_request_error", code, param);
        bedrock.verify(0, postRequestedFor(urlPathMatching("/.*")));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "\"temperature\":2.5|temperature",
            "\"top_p\":1.5|top_p",
            "\"n\":0|n",
            "\"max_tokens\":0|max_tokens",
            "\"max_completion_tokens\":-5|max_completion_tokens",
            "\"presence_penalty\":3|presence_penalty",
            "\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]|stop",
            "\"tool_choice\":\"sometimes\"|tool_choice",
            "\"stream_options\":{\"include_usage\":true}|stream_options" })
    void outOfRangeValuesAre400(String option, String param) {
        Response response = chat("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],%s}""".formatted(option));
        assertOpenAiError(response, 400, "invalid_request_error", "invalid_value", param);
    }

    @Test
    void requestShapeProblemsAre400() {
        assertOpenAiError(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"), 400,
                "invalid_request_error", null, "model");
        assertOpenAiError(chat("{\"model\":\"gpt-4o\"}"), 400, "invalid_request_error", null, "messages");
        assertOpenAiError(chat("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}"),
                400, "invalid_request_error", null, "messages");
        assertOpenAiError(chat("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}"),
                400, "invalid_request_error", null, "messages");
        assertOpenAiError(chat("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"},{"role":"assistant","tool_calls":[
                 {"id":"c1","type":"function","function":{"name":"f","arguments":"{not json"}}]}]}"""),
                400, "invalid_request_error", "invalid_value", "messages[1].tool_calls[0].function.arguments");
        assertOpenAiError(chat("""
                {"model":"text-embedding-3-small","messages":[{"role":"user","content":"Hi"}]}"""),
                400, "invalid_request_error", "invalid_value", "model");
        assertOpenAiError(chat("""
                {"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"image_url",
                  "image_url":{"url":"data:image/png;base64,/9j/4AAQSkZJRg=="}}]}]}"""),
                400, "invalid_request_error", "invalid_value", "messages[0].content[0].image_url.url");
        bedrock.verify(0, postRequestedFor(urlPathMatching("/.*")));
    }

    @Test
    void authenticationIsRequiredAndChecked() {
        Response missing = given().contentType(ContentType.JSON).body(HELLO).post("/v1/chat/completions");
        assertOpenAiError(missing, 401, "invalid_request_error", null, null);
        Response wrong = given().header("Authorization", "Bearer sk-wrong").contentType(ContentType.JSON)
                .body(HELLO).post("/v1/chat/completions");
        assertOpenAiError(wrong, 401, "invalid_request_error", "invalid_api_key", null);
        wrong.then().body("error.message", not(containsString("sk-wrong")));
        assertOpenAiError(given().header("Authorization", "Basic c2stdGVzdC1rZXktMQ==").get("/v1/models"), 401,
                "invalid_request_error", "invalid_api_key", null);
        assertOpenAiError(given().get("/v1/models"), 401, "invalid_request_error", null, null);

        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(
                ConverseReplies.text("ok", "end_turn", 1, 1)));
        given().header("Authorization", "bearer sk-test-key-2").contentType(ContentType.JSON).body(HELLO)
                .post("/v1/chat/completions").then().statusCode(200);
    }

    @Test
    void httpLayerErrorsHaveTheSameShape() throws Exception {
        assertOpenAiError(given().header("Authorization", KEY).get("/v1/nothing-here"), 404, "invalid_request_error",
                "unknown_url", null);
        assertOpenAiError(given().header("Authorization", KEY).get("/v1/chat/completions"), 405,
                "invalid_request_error", "method_not_allowed", null);
        assertOpenAiError(given().header("Authorization", KEY).contentType(ContentType.TEXT).body(HELLO)
                .post("/v1/chat/completions"), 415, "invalid_request_error", "unsupported_media_type", null);

        // Oversized body, announced by Content-Length: refused before it is read.
        try (Socket socket = new Socket(chatUrl.getHost(), chatUrl.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (20L * 1024 * 1024)
                    + "\r\n\r\n{\"model\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
            OpenAiSchemas.assertValid("ErrorResponse", reply.substring(reply.indexOf("\r\n\r\n") + 4));
        }
    }

    /** Sends the head of a chat request whose body follows chunked; returns the stream to write the chunks to. */
    private OutputStream startChunkedChat(Socket socket, String extraHeaders) throws java.io.IOException {
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + KEY
                + "\r\nContent-Type: application/json\r\n" + extraHeaders + "Transfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return out;
    }

    @Test
    void oversizedChunkedBodyIs413Too() throws Exception {
        try (Socket socket = new Socket(chatUrl.getHost(), chatUrl.getPort())) {
            OutputStream out = startChunkedChat(socket, "");
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) ' ');
            String reply = "";
            try {
                for (int i = 0; i < 20; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (java.io.IOException closedByTheServer) {
                // expected once the limit is passed
            }
            reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
            // In OpenAI's error shape, as when the length is announced.
            String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
            OpenAiSchemas.assertValid("ErrorResponse", body);
            assertTrue(body.contains("\"code\":\"request_too_large\""), body);
        }
    }

    @Test
    void chunkedBodyWithinTheLimitIsServed() throws Exception {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(
                ConverseReplies.text("chunked ok", "end_turn", 1, 1)));
        byte[] json = HELLO.getBytes(StandardCharsets.UTF_8);
        int half = json.length / 2;
        try (Socket socket = new Socket(chatUrl.getHost(), chatUrl.getPort())) {
            OutputStream out = startChunkedChat(socket, "Connection: close\r\n");
            out.write((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(json, 0, half);
            out.write(("\r\n" + Integer.toHexString(json.length - half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(json, half, json.length - half);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
            assertTrue(reply.contains("\"content\":\"chunked ok\""), reply);
        }
        bedrock.verify(1, postRequestedFor(urlPathMatching("/model/.*/converse")));
    }

    @Test
    void headersTooLargeIs431InOpenAiShape() {
        Response response = given().header("Authorization", KEY).header("X-Big", "x".repeat(40_000))
                .get("/v1/models");
        response.then().statusCode(431);
        OpenAiSchemas.assertValid("ErrorResponse", response.asString());
    }

    @Test
    void successfulResponsesCarryNoErrorField() {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(
                ConverseReplies.text("ok", "end_turn", 1, 1)));
        chat(HELLO).then().statusCode(200).body("error", nullValue());
    }
}
