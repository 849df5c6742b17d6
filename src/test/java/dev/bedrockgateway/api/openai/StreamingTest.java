package dev.bedrockgateway.api.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.EventStreamFrames;
import dev.bedrockgateway.testing.OpenAiSchemas;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** {@code stream: true}: Bedrock event-stream frames in, OpenAI SSE chunks out. */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
public class StreamingTest {

    public static final ObjectMapper JSON = new ObjectMapper();
    static final String STREAM_PATH = "/model/anthropic.claude-3-sonnet-20240229-v1%3A0/converse-stream";

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @TestHTTPResource("/v1/chat/completions")
    URL chatUrl;

    @BeforeEach
    void reset() {
        bedrock.resetAll();
    }

    public static EventStreamFrames helloStream() {
        return EventStreamFrames.stream().start().text(0, "Hel").text(0, "lo").text(0, " world").stop(0)
                .messageStop("end_turn").metadata(9, 3);
    }

    static Response stream(String extra) {
        return given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).body("""
                {"model":"bedrock-claude-3-sonnet","stream":true,"messages":[{"role":"user","content":"Hi"}]%s}"""
                .formatted(extra)).post("/v1/chat/completions");
    }

    /** The SSE body as its data payloads, checking the exact framing OpenAI uses. */
    public static List<String> dataFrames(String body) {
        assertTrue(body.endsWith("\n\n"), body);
        List<String> frames = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            assertTrue(event.startsWith("data: "), event);
            frames.add(event.substring("data: ".length()));
        }
        return frames;
    }

    static List<JsonNode> chunks(List<String> frames) throws Exception {
        List<JsonNode> chunks = new ArrayList<>();
        for (String frame : frames) {
            if (!frame.equals("[DONE]")) {
                OpenAiSchemas.assertValid("CreateChatCompletionStreamResponse", frame);
                chunks.add(JSON.readTree(frame));
            }
        }
        return chunks;
    }

    @Test
    void textStreamsAsOpenAiChunksEndingWithDone() throws Exception {
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(helloStream().response()));

        Response response = stream("");

        // Unlike a JSON answer (ChatCompletionsResourceTest), a stream has no length: chunked, frame by frame.
        response.then().statusCode(200).contentType("text/event-stream").header("Transfer-Encoding", "chunked")
                .header("Content-Length", org.hamcrest.Matchers.nullValue());
        List<String> frames = dataFrames(response.asString());
        assertEquals("[DONE]", frames.get(frames.size() - 1));
        List<JsonNode> chunks = chunks(frames);
        assertEquals(5, chunks.size(), frames.toString());
        JsonNode first = chunks.get(0);
        assertEquals("assistant", first.at("/choices/0/delta/role").asText());
        assertEquals("", first.at("/choices/0/delta/content").asText());
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : chunks) {
            assertEquals(first.get("id"), chunk.get("id"));
            assertEquals(first.get("created"), chunk.get("created"));
            assertEquals("bedrock-claude-3-sonnet", chunk.get("model").asText());
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            assertFalse(chunk.has("usage"));
            text.append(chunk.at("/choices/0/delta/content").asText(""));
        }
        assertEquals("Hello world", text.toString());
        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals("stop", last.at("/choices/0/finish_reason").asText());
        assertTrue(last.at("/choices/0/delta").isEmpty());
        assertTrue(chunks.get(1).at("/choices/0/finish_reason").isNull());
    }

    @Test
    void includeUsageAddsOneLastChunkAndIsNeverForwarded() throws Exception {
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(helloStream().response()));

        List<JsonNode> chunks = chunks(dataFrames(stream(",\"stream_options\":{\"include_usage\":true}").asString()));

        JsonNode last = chunks.get(chunks.size() - 1);
        assertTrue(last.get("choices").isEmpty());
        assertEquals(9, last.at("/usage/prompt_tokens").asInt());
        assertEquals(3, last.at("/usage/completion_tokens").asInt());
        assertEquals(12, last.at("/usage/total_tokens").asInt());
        assertEquals("stop", chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText());
        bedrock.verify(postRequestedFor(urlEqualTo(STREAM_PATH)).withRequestBody(equalToJson("""
                {"messages":[{"role":"user","content":[{"text":"Hi"}]}],"inferenceConfig":{}}""")));
    }

    @Test
    void framesSplitOneByteAtATimeGiveTheSameChunks() throws Exception {
        byte[] body = helloStream().bytes();
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(helloStream().response()
                .withChunkedDribbleDelay(body.length, 300)));

        List<JsonNode> chunks = chunks(dataFrames(stream("").asString()));

        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
        assertEquals("Hello world", text.toString());
        assertEquals("stop", chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText());
    }

    /** Regression: tool_calls[].index is a dense counter of tool calls, not Bedrock's contentBlockIndex. */
    @Test
    void toolCallIndexesAreDenseEvenAfterATextBlock() throws Exception {
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(EventStreamFrames.stream().start()
                .text(0, "Checking both.").stop(0)
                .toolStart(1, "tooluse_a", "get_weather").toolInput(1, "{\"city\":").toolInput(1, "\"Oslo\"}").stop(1)
                .toolStart(2, "tooluse_b", "get_time").toolInput(2, "{}").stop(2)
                .messageStop("tool_use").metadata(5, 20).response()));

        List<JsonNode> chunks = chunks(dataFrames(stream(",\"tools\":[{\"type\":\"function\",\"function\":"
                + "{\"name\":\"get_weather\"}},{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}]")
                .asString()));

        List<JsonNode> toolDeltas = chunks.stream().filter(c -> c.at("/choices/0/delta/tool_calls").isArray())
                .map(c -> c.at("/choices/0/delta/tool_calls/0")).toList();
        assertEquals(5, toolDeltas.size());
        assertEquals(0, toolDeltas.get(0).get("index").asInt());
        assertEquals("tooluse_a", toolDeltas.get(0).get("id").asText());
        assertEquals("function", toolDeltas.get(0).get("type").asText());
        assertEquals("get_weather", toolDeltas.get(0).at("/function/name").asText());
        assertEquals("", toolDeltas.get(0).at("/function/arguments").asText());
        assertEquals(0, toolDeltas.get(1).get("index").asInt());
        assertFalse(toolDeltas.get(1).has("id"));
        assertEquals("{\"city\":", toolDeltas.get(1).at("/function/arguments").asText());
        assertEquals(0, toolDeltas.get(2).get("index").asInt());
        assertEquals(1, toolDeltas.get(3).get("index").asInt());
        assertEquals("get_time", toolDeltas.get(3).at("/function/name").asText());
        assertEquals(1, toolDeltas.get(4).get("index").asInt());
        assertEquals("tool_calls", chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText());
    }

    @Test
    void upstreamErrorBeforeTheFirstByteIsAnOrdinaryHttpError() {
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(
                ConverseReplies.error(429, "ThrottlingException", "Too many tokens, please wait.")));
        Response response = stream("");
        response.then().statusCode(429).contentType(ContentType.JSON).header("Retry-After", "1");
        assertEquals("rate_limit_exceeded", response.jsonPath().getString("error.code"));
    }

    @Test
    void exceptionFrameBeforeAnyEventIsAnOrdinaryHttpError() {
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(EventStreamFrames.stream()
                .exception("throttlingException", "Slow down").response()));
        stream("").then().statusCode(429).contentType(ContentType.JSON);
    }

    @Test
    void errorAfterTheStreamStartedIsOneErrorFrameAndNoDone() throws Exception {
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(EventStreamFrames.stream().start()
                .text(0, "Partial").exception("modelStreamErrorException", "The model failed mid-stream").response()));

        Response response = stream("");
        response.then().statusCode(200);
        List<String> frames = dataFrames(response.asString());
        String last = frames.get(frames.size() - 1);
        assertFalse(frames.contains("[DONE]"), frames.toString());
        OpenAiSchemas.assertValid("ErrorResponse", last);
        JsonNode error = JSON.readTree(last).get("error");
        assertEquals("server_error", error.get("type").asText());
        assertTrue(error.get("message").asText().contains("mid-stream"), error.toString());
        assertEquals("Partial", JSON.readTree(frames.get(1)).at("/choices/0/delta/content").asText());
    }

    @Test
    void noneStreamingAnswersStayJson() {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(
                ConverseReplies.text("plain", "end_turn", 1, 1)));
        given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).accept("application/json")
                .body("{\"model\":\"bedrock-claude-3-sonnet\",\"stream\":false,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).contentType(ContentType.JSON);
    }

    /**
     * A client that does not read for a while: the answer is larger than the sockets' buffers, so Vert.x's write
     * queue fills and the gateway must wait for it to drain before it writes on; every delta still arrives, in order,
     * then {@code [DONE]}.
     */
    @Test
    void aClientThatReadsLateStillGetsTheWholeStreamInOrder() throws Exception {
        int deltas = 300;
        String filler = "x".repeat(20_000);
        EventStreamFrames frames = EventStreamFrames.stream().start();
        for (int i = 0; i < deltas; i++) {
            frames.text(0, "<" + i + ">" + filler);
        }
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(frames.stop(0).messageStop("end_turn")
                .metadata(9, 3).response()));
        String body = "{\"model\":\"bedrock-claude-3-sonnet\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        StringBuilder received = new StringBuilder();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(8192);
            socket.setSoTimeout(20_000);
            socket.connect(new InetSocketAddress(chatUrl.getHost(), chatUrl.getPort()));
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer sk-test-key-1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            Thread.sleep(1500);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            while (received.indexOf("data: [DONE]") < 0) {
                int n = in.read(buffer);
                assertTrue(n > 0, "the stream ended before [DONE] after " + received.length() + " characters");
                received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        }
        int at = 0;
        for (int i = 0; i < deltas; i++) {
            int next = received.indexOf("<" + i + ">", at);
            assertTrue(next > at, "delta " + i + " missing or out of order");
            at = next;
        }
    }

    /** As OpenAI: the request's {@code stream} decides JSON or SSE, whatever Accept says (SDKs send either). */
    @Test
    void theAcceptHeaderNeverChangesTheAnswerNorRefusesIt() throws Exception {
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(helloStream().response()));
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(
                ConverseReplies.text("plain", "end_turn", 1, 1)));
        for (String accept : List.of("application/json", "text/event-stream", "text/plain", "image/png")) {
            for (boolean streamed : List.of(true, false)) {
                Response response = given().header("Authorization", "Bearer sk-test-key-1")
                        .contentType(ContentType.JSON).accept(accept)
                        .body("{\"model\":\"bedrock-claude-3-sonnet\",\"stream\":" + streamed
                                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                        .post("/v1/chat/completions");
                String what = "Accept " + accept + ", stream " + streamed;
                assertEquals(200, response.statusCode(), what + ": " + response.asString());
                if (streamed) {
                    assertEquals("text/event-stream", response.contentType(), what);
                    List<String> frames = dataFrames(response.asString());
                    assertEquals("[DONE]", frames.get(frames.size() - 1), what);
                } else {
                    assertEquals("application/json", response.contentType(), what);
                    assertEquals("plain", response.jsonPath().getString("choices[0].message.content"), what);
                }
            }
        }
    }

    /**
     * As OpenAI streams it: an answer that is only a tool call opens with the role in the call's first chunk and no
     * {@code content} anywhere, so the SDKs' stream accumulators end with {@code content} null, like the
     * non-streaming answer (an opening {@code content: ""} made Python's {@code get_final_completion()} say "").
     */
    @Test
    void aToolCallAnswerCarriesItsRoleInTheCallsFirstChunkAndNoContent() throws Exception {
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(EventStreamFrames.stream().start()
                .toolStart(0, "tooluse_a", "get_weather").toolInput(0, "{\"city\":\"Oslo\"}").stop(0)
                .messageStop("tool_use").metadata(5, 20).response()));

        List<JsonNode> chunks = chunks(dataFrames(stream(",\"tools\":[{\"type\":\"function\",\"function\":"
                + "{\"name\":\"get_weather\"}}]").asString()));

        assertEquals(3, chunks.size(), chunks.toString());
        JsonNode first = chunks.get(0).at("/choices/0/delta");
        assertEquals("assistant", first.get("role").asText());
        assertEquals("tooluse_a", first.at("/tool_calls/0/id").asText());
        assertEquals("get_weather", first.at("/tool_calls/0/function/name").asText());
        for (JsonNode chunk : chunks) {
            assertFalse(chunk.at("/choices/0/delta").has("content"), chunk.toString());
        }
        assertEquals("{\"city\":\"Oslo\"}", chunks.get(1).at("/choices/0/delta/tool_calls/0/function/arguments")
                .asText());
        assertEquals("tool_calls", chunks.get(2).at("/choices/0/finish_reason").asText());
    }

    @Test
    void structuredOutputStreamsAsContentWithFinishReasonStop() throws Exception {
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(EventStreamFrames.stream().start()
                .toolStart(0, "tooluse_s", "json_response").toolInput(0, "{\"ok\":").toolInput(0, "true}").stop(0)
                .messageStop("tool_use").metadata(5, 5).response()));

        List<JsonNode> chunks = chunks(dataFrames(stream(",\"response_format\":{\"type\":\"json_object\"}")
                .asString()));

        StringBuilder content = new StringBuilder();
        for (JsonNode chunk : chunks) {
            assertFalse(chunk.at("/choices/0/delta").has("tool_calls"), chunk.toString());
            content.append(chunk.at("/choices/0/delta/content").asText(""));
        }
        assertEquals("{\"ok\":true}", content.toString());
        assertEquals("stop", chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText());
    }

    @Test
    void reasoningStreamsToReasoningContentNeverToContent() throws Exception {
        bedrock.stubFor(post(urlEqualTo(STREAM_PATH)).willReturn(EventStreamFrames.stream().start()
                .reasoning(0, "Let me ").reasoning(0, "think.").signature(0, "c2ln").stop(0)
                .text(1, "Answer.").stop(1).messageStop("end_turn").metadata(5, 5).response()));

        List<JsonNode> chunks = chunks(dataFrames(stream(",\"reasoning_effort\":\"low\"").asString()));

        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        String signature = null;
        for (JsonNode chunk : chunks) {
            reasoning.append(chunk.at("/choices/0/delta/reasoning_content").asText(""));
            content.append(chunk.at("/choices/0/delta/content").asText(""));
            if (chunk.at("/choices/0/delta/thinking_blocks/0/signature").isTextual()) {
                signature = chunk.at("/choices/0/delta/thinking_blocks/0/signature").asText();
            }
        }
        assertEquals("Let me think.", reasoning.toString());
        assertEquals("Answer.", content.toString());
        assertEquals("c2ln", signature);
        bedrock.verify(postRequestedFor(urlEqualTo(STREAM_PATH)).withRequestBody(equalToJson("""
                {"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}},
                 "inferenceConfig":{"maxTokens":5120}}""", true, true)));
    }
}
