package dev.bedrockgateway.api.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.EventStreamFrames;
import dev.bedrockgateway.testing.OpenAiSchemas;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Legacy {@code /v1/completions}: what {@code openai.Completion.create(model="text-davinci-003")} calls. */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
public class CompletionsTest {

    static final String HAIKU = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @TestHTTPResource("/v1")
    URL baseUrl;

    @BeforeEach
    void reset() {
        bedrock.resetAll();
    }

    static Response complete(String body) {
        return given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).body(body)
                .post("/v1/completions");
    }

    @Test
    void davinciAliasAnswersALegacyTextCompletion() {
        bedrock.stubFor(post(urlEqualTo(HAIKU)).willReturn(ConverseReplies.text(" a sunny day.", "end_turn", 6, 4)));

        Response response = complete("{\"model\":\"text-davinci-003\",\"prompt\":\"Today is\",\"temperature\":0.2}");

        response.then().statusCode(200)
                .body("object", equalTo("text_completion"))
                .body("id", startsWith("cmpl-"))
                .body("model", equalTo("text-davinci-003"))
                .body("choices[0].text", equalTo(" a sunny day."))
                .body("choices[0].index", equalTo(0))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.total_tokens", equalTo(10));
        OpenAiSchemas.assertValid("CreateCompletionResponse", response.asString());
        // OpenAI's documented default of 16 tokens when max_tokens is absent.
        bedrock.verify(postRequestedFor(urlEqualTo(HAIKU)).withRequestBody(equalToJson("""
                {"messages":[{"role":"user","content":[{"text":"Today is"}]}],
                 "inferenceConfig":{"maxTokens":16,"temperature":0.2}}""")));
    }

    @Test
    void aListOfPromptsGivesOneChoicePerPromptInOrder() {
        for (String word : List.of("one", "two", "three")) {
            bedrock.stubFor(post(urlEqualTo(HAIKU)).withRequestBody(containing("\"" + word + "\""))
                    .willReturn(ConverseReplies.text("answer " + word, word.equals("two") ? "max_tokens" : "end_turn",
                            2, 3).withFixedDelay(word.equals("one") ? 300 : 0)));
        }
        Response response = complete("{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":[\"one\",\"two\",\"three\"],"
                + "\"max_tokens\":50,\"echo\":true}");
        response.then().statusCode(200)
                .body("choices.index", equalTo(List.of(0, 1, 2)))
                .body("choices.text", equalTo(List.of("oneanswer one", "twoanswer two", "threeanswer three")))
                .body("choices.finish_reason", equalTo(List.of("stop", "length", "stop")))
                .body("usage.prompt_tokens", equalTo(6))
                .body("usage.completion_tokens", equalTo(9));
        OpenAiSchemas.assertValid("CreateCompletionResponse", response.asString());
        bedrock.verify(3, postRequestedFor(urlEqualTo(HAIKU)));
    }

    @Test
    void streamsTextCompletionChunks() throws Exception {
        bedrock.stubFor(post(urlEqualTo(HAIKU + "-stream")).willReturn(EventStreamFrames.stream().start()
                .text(0, " sunny").text(0, " day").stop(0).messageStop("max_tokens").metadata(3, 2).response()));

        Response response = complete("{\"model\":\"text-davinci-003\",\"prompt\":\"Today is a\",\"stream\":true,"
                + "\"echo\":true,\"stream_options\":{\"include_usage\":true}}");

        response.then().statusCode(200).contentType("text/event-stream");
        List<String> frames = StreamingTest.dataFrames(response.asString());
        assertEquals("[DONE]", frames.get(frames.size() - 1));
        List<JsonNode> chunks = new ArrayList<>();
        for (String frame : frames.subList(0, frames.size() - 1)) {
            chunks.add(StreamingTest.JSON.readTree(frame));
        }
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.at("/choices/0/text").asText("")));
        assertEquals("Today is a sunny day", text.toString());
        for (JsonNode chunk : chunks) {
            assertEquals("text_completion", chunk.get("object").asText());
            assertEquals(chunks.get(0).get("id"), chunk.get("id"));
        }
        assertEquals("length", chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText());
        assertEquals(5, chunks.get(chunks.size() - 1).at("/usage/total_tokens").asInt());
        assertTrue(chunks.get(chunks.size() - 1).get("choices").isEmpty());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "\"prompt\":\"x\",\"suffix\":\"end\"|suffix|unsupported_parameter",
            "\"prompt\":\"x\",\"best_of\":3|best_of|unsupported_parameter",
            "\"prompt\":\"x\",\"logprobs\":2|logprobs|unsupported_parameter",
            "\"prompt\":\"x\",\"n\":2|n|unsupported_parameter",
            "\"prompt\":[1212,318]|prompt|unsupported_parameter",
            "\"prompt\":[[1212,318]]|prompt[0]|unsupported_parameter",
            "\"prompt\":\"\"|prompt|invalid_value",
            "\"prompt\":[\"a\",\" \"]|prompt[1]|invalid_value",
            "\"prompt\":[]|prompt|invalid_value",
            "\"prompt\":{\"text\":\"x\"}|prompt|invalid_type",
            "\"prompt\":[\"a\",\"b\"],\"stream\":true|prompt|invalid_value",
            "\"prompt\":\"x\",\"max_tokens\":0|max_tokens|invalid_value",
            "\"prompt\":\"x\",\"stream_options\":{\"include_usage\":true}|stream_options|invalid_value",
            "\"prompt\":\"x\",\"stop\":7|stop|invalid_type" })
    void whatCannotBeHonouredIs400(String fields, String param, String code) {
        complete("{\"model\":\"text-davinci-003\"," + fields + "}").then().statusCode(400)
                .body("error.param", equalTo(param)).body("error.code", equalTo(code))
                .body("error.type", equalTo("invalid_request_error"));
        bedrock.verify(0, postRequestedFor(urlPathMatching("/model/.*")));
    }

    @Test
    void embeddingModelsAndMissingPromptsAre400() {
        complete("{\"model\":\"text-embedding-3-small\",\"prompt\":\"x\"}").then().statusCode(400)
                .body("error.param", equalTo("model"));
        complete("{\"model\":\"text-davinci-003\"}").then().statusCode(400).body("error.param", equalTo("prompt"));
        complete("{\"prompt\":\"x\"}").then().statusCode(400).body("error.param", equalTo("model"));
        complete("{\"model\":\"davinci-999\",\"prompt\":\"x\"}").then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
    }

    @Test
    void theOfficialSdkValidatesCompletionsAndStreams() {
        bedrock.stubFor(post(urlEqualTo(HAIKU)).willReturn(ConverseReplies.text("Hello!", "end_turn", 2, 2)));
        bedrock.stubFor(post(urlEqualTo(HAIKU + "-stream")).willReturn(EventStreamFrames.stream().start()
                .text(0, "Hel").text(0, "lo!").stop(0).messageStop("end_turn").metadata(2, 2).response()));
        OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey("sk-test-key-1")
                .maxRetries(0).build();
        try {
            CompletionCreateParams params = CompletionCreateParams.builder()
                    .model(CompletionCreateParams.Model.of("text-davinci-003")).prompt("Say hello").build();
            Completion completion = openai.completions().create(params);
            completion.validate();
            assertEquals("Hello!", completion.choices().get(0).text());

            StringBuilder streamed = new StringBuilder();
            List<Completion> chunks = new ArrayList<>();
            try (StreamResponse<Completion> stream = openai.completions().createStreaming(params)) {
                stream.stream().forEach(chunk -> {
                    chunks.add(chunk);
                    chunk.choices().forEach(c -> streamed.append(c.text()));
                });
            }
            assertEquals("Hello!", streamed.toString());
            // Like OpenAI's own legacy streams, only the last chunk carries a finish_reason, which the SDK's strict
            // validate() requires; it passes there.
            chunks.get(chunks.size() - 1).validate();
            assertEquals("stop", chunks.get(chunks.size() - 1).choices().get(0).finishReason().asString());
        } finally {
            openai.close();
        }
    }
}
