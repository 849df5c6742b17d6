package dev.bedrockgateway.dev;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.testing.OpenAiSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Dev mode's path: no endpoint override and no AWS account, so the gateway's real SDK client talks to the built-in
 * simulator over HTTP (SigV4-signed, HTTP/2 as against AWS).
 */
@QuarkusTest
@TestProfile(DevSimulatorTest.SimulatorProfile.class)
class DevSimulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();

    public static class SimulatorProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.simulator.enabled", "true");
        }
    }

    @Test
    void chatIsAnsweredByTheSimulatorThroughTheSdk() {
        Response response = given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("""
                        {"model":"bedrock-claude-3-sonnet","messages":[
                          {"role":"system","content":"Be kind."},
                          {"role":"user","content":"hello there"}]}""")
                .post("/v1/chat/completions");
        response.then().statusCode(200)
                .body("model", equalTo("bedrock-claude-3-sonnet"))
                .body("choices[0].message.content",
                        equalTo("Simulated reply from anthropic.claude-3-sonnet-20240229-v1:0: hello there"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.prompt_tokens", greaterThan(0))
                .body("usage.completion_tokens", equalTo(6));
        OpenAiSchemas.assertValid("CreateChatCompletionResponse", response.asString());
    }

    @Test
    void simulatorEnforcesBedrockRulesTooSoLengthAndStopWork() {
        given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("""
                        {"model":"gpt-4o","max_tokens":3,"messages":[{"role":"user","content":"one two three"}]}""")
                .post("/v1/chat/completions")
                .then().statusCode(200)
                .body("choices[0].message.content", equalTo("Simulated reply from"))
                .body("choices[0].finish_reason", equalTo("length"));
        given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("""
                        {"model":"gpt-4o","messages":[{"role":"user","content":"simulate:throttle"}]}""")
                .post("/v1/chat/completions")
                .then().statusCode(429).header("Retry-After", equalTo("1"))
                .body("error.code", equalTo("rate_limit_exceeded"));
    }

    @Test
    void directivesInThePromptSteerTheSimulatorBehindTheGateway() {
        long started = System.nanoTime();
        given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("""
                        {"model":"gpt-4o","messages":[{"role":"user","content":"take your time simulate:latency-ms=300"}]}""")
                .post("/v1/chat/completions")
                .then().statusCode(200)
                .body("choices[0].message.content", endsWith(": take your time simulate:latency-ms=300"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis >= 300, "answered after " + millis + " ms");

        given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("""
                        {"model":"gpt-4o","messages":[{"role":"user","content":"simulate:hurry"}]}""")
                .post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.message", containsString("Unknown simulator directive simulate:hurry"));
    }

    @Test
    void streamingThroughTheSimulatorReassemblesTheSameReply() throws Exception {
        String body = given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("""
                        {"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},
                         "messages":[{"role":"user","content":"stream this please"}]}""")
                .post("/v1/chat/completions").then().statusCode(200).contentType("text/event-stream")
                .extract().asString();
        StringBuilder text = new StringBuilder();
        JsonNode usage = null;
        for (String event : body.split("\n\n")) {
            String data = event.substring("data: ".length());
            if (!data.equals("[DONE]")) {
                OpenAiSchemas.assertValid("CreateChatCompletionStreamResponse", data);
                JsonNode chunk = JSON.readTree(data);
                text.append(chunk.at("/choices/0/delta/content").asText(""));
                usage = chunk.has("usage") ? chunk.get("usage") : usage;
            }
        }
        assertEquals("Simulated reply from us.anthropic.claude-3-5-haiku-20241022-v1:0: stream this please",
                text.toString());
        assertEquals(7, usage.get("completion_tokens").asInt());
        assertTrue(body.endsWith("data: [DONE]\n\n"));
    }

    @Test
    void fileContentPartsReachTheSimulatorAsDocumentBlocksWithUniqueNames() {
        String pdf = "data:application/pdf;base64," + Base64.getEncoder().encodeToString(
                "%PDF-1.4\n%fake\n".getBytes(StandardCharsets.US_ASCII));
        given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("""
                        {"model":"bedrock-claude-3-sonnet","messages":[{"role":"user","content":[
                          {"type":"text","text":"Compare"},
                          {"type":"file","file":{"filename":"Q3 report: final!.pdf","file_data":"%1$s"}},
                          {"type":"file","file":{"filename":"Q3 report: final?.pdf","file_data":"%1$s"}}]}]}"""
                        .formatted(pdf))
                .post("/v1/chat/completions")
                .then().statusCode(200)
                .body("choices[0].message.content", equalTo("Simulated reply from"
                        + " anthropic.claude-3-sonnet-20240229-v1:0: Compare [document Q3 report final: pdf, 15 bytes]"
                        + " [document Q3 report final (2): pdf, 15 bytes]"));
    }

    @Test
    void legacyCompletionsAndEmbeddingsWorkAgainstTheSimulator() {
        given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("{\"model\":\"text-davinci-003\",\"prompt\":\"Once upon a time\",\"max_tokens\":64}")
                .post("/v1/completions")
                .then().statusCode(200)
                .body("choices[0].text",
                        equalTo("Simulated reply from anthropic.claude-3-haiku-20240307-v1:0: Once upon a time"));
        Response embeddings = given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha\",\"beta\"],\"dimensions\":256}")
                .post("/v1/embeddings");
        embeddings.then().statusCode(200).body("data.size()", equalTo(2))
                .body("data[0].embedding.size()", equalTo(256));
        OpenAiSchemas.assertValid("CreateEmbeddingResponse", embeddings.asString());
    }
}
