package dev.bedrockgateway.api.openai;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.bedrockgateway.testing.OpenAiSchemas;
import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * {@code /v1/responses} over real HTTP, on the Bedrock simulator through the real AWS SDK: answers and every stream
 * event checked against OpenAI's Responses schemas, the stored responses (retrieve, input items, delete,
 * continuation) and who may see them, and the refusals in OpenAI's error shape.
 */
@QuarkusTest
@WithTestResource(SimulatedBedrock.class)
class ResponsesResourceTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "Bearer sk-test-key-1";
    static final String OTHER_KEY = "Bearer sk-test-key-2";
    static final String MODEL_ID = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    static Response post(String body) {
        return given().header("Authorization", KEY).contentType(ContentType.JSON).body(body)
                .post("/v1/responses");
    }

    static JsonNode created(String body) throws Exception {
        Response response = post(body);
        assertEquals(200, response.statusCode(), response.asString());
        String json = response.asString();
        OpenAiSchemas.assertValid("Response", json);
        return JSON.readTree(json);
    }

    /** The events of an SSE answer, each checked: its {@code event:} name is its {@code type}, its shape OpenAI's. */
    static List<JsonNode> events(String sse) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String frame : sse.split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            String[] lines = frame.split("\n");
            assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), frame);
            String data = lines[1].substring("data: ".length());
            OpenAiSchemas.assertValid("ResponseStreamEvent", data);
            JsonNode event = JSON.readTree(data);
            assertEquals(lines[0].substring("event: ".length()), event.get("type").asText());
            assertEquals(events.size(), event.get("sequence_number").asInt(), "sequence numbers count from 0");
            events.add(event);
        }
        return events;
    }

    static String text(JsonNode response) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : response.get("output")) {
            if (item.get("type").asText().equals("message")) {
                item.get("content").forEach(part -> text.append(part.get("text").asText()));
            }
        }
        return text.toString();
    }

    @Test
    void aTextAnswerIsAResponseObjectWithOneMessage() throws Exception {
        JsonNode response = created("""
                {"model":"claude-haiku-4-5","input":"Hello there","max_output_tokens":100,
                 "metadata":{"team":"a"}}""");
        assertTrue(response.get("id").asText().startsWith("resp_"));
        assertEquals("response", response.get("object").asText());
        assertEquals("completed", response.get("status").asText());
        assertEquals("claude-haiku-4-5", response.get("model").asText());
        assertEquals("Simulated reply from " + MODEL_ID + ": Hello there", text(response));
        assertEquals(1, response.get("output").size());
        JsonNode usage = response.get("usage");
        assertEquals(2, usage.get("input_tokens").asInt());
        assertEquals(usage.get("input_tokens").asInt() + usage.get("output_tokens").asInt(),
                usage.get("total_tokens").asInt());
        assertEquals("a", response.at("/metadata/team").asText());
        assertEquals(100, response.get("max_output_tokens").asInt());
    }

    @Test
    void aStreamSendsTheWholeEventSequenceAndEndsWithTheCompletedResponse() throws Exception {
        Response answer = post("""
                {"model":"claude-haiku-4-5","input":"Stream this please","stream":true}""");
        assertEquals(200, answer.statusCode());
        assertTrue(answer.contentType().startsWith("text/event-stream"), answer.contentType());
        List<JsonNode> events = events(answer.asString());
        List<String> types = events.stream().map(e -> e.get("type").asText()).distinct().toList();
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed"), types);
        StringBuilder deltas = new StringBuilder();
        events.stream().filter(e -> e.get("type").asText().equals("response.output_text.delta"))
                .forEach(e -> deltas.append(e.get("delta").asText()));
        String expected = "Simulated reply from " + MODEL_ID + ": Stream this please";
        assertEquals(expected, deltas.toString());
        JsonNode done = events.stream().filter(e -> e.get("type").asText().equals("response.output_text.done"))
                .findFirst().orElseThrow();
        assertEquals(expected, done.get("text").asText());
        JsonNode completed = events.get(events.size() - 1).get("response");
        assertEquals("completed", completed.get("status").asText());
        assertEquals(expected, text(completed));
        assertEquals(events.get(0).at("/response/id").asText(), completed.get("id").asText());
        assertTrue(completed.at("/usage/output_tokens").asInt() > 0);
        // Stored before its final event went out: retrievable at once.
        given().header("Authorization", KEY).get("/v1/responses/" + completed.get("id").asText()).then()
                .statusCode(200).body("output[0].content[0].text", equalTo(expected));
    }

    @Test
    void aStoredResponseIsRetrievedListedAndDeletedByItsOwnerOnly() throws Exception {
        JsonNode response = created("""
                {"model":"claude-haiku-4-5","input":[{"role":"user","content":[
                  {"type":"input_text","text":"Keep this"}]}]}""");
        String id = response.get("id").asText();
        String retrieved = given().header("Authorization", KEY).get("/v1/responses/" + id).then().statusCode(200)
                .extract().asString();
        OpenAiSchemas.assertValid("Response", retrieved);
        assertEquals(response, JSON.readTree(retrieved));
        String items = given().header("Authorization", KEY).get("/v1/responses/" + id + "/input_items").then()
                .statusCode(200).body("object", equalTo("list")).body("data[0].type", equalTo("message"))
                .body("data[0].content[0].text", equalTo("Keep this")).body("has_more", equalTo(false))
                .body("data[0].id", startsWith("msg_")).extract().asString();
        OpenAiSchemas.assertValid("ResponseItemList", items);

        given().header("Authorization", OTHER_KEY).get("/v1/responses/" + id).then().statusCode(404)
                .body("error.type", equalTo("invalid_request_error"));
        given().header("Authorization", OTHER_KEY).delete("/v1/responses/" + id).then().statusCode(404);
        given().header("Authorization", OTHER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"claude-haiku-4-5\",\"input\":\"x\",\"previous_response_id\":\"" + id + "\"}")
                .post("/v1/responses").then().statusCode(400).body("error.param", equalTo("previous_response_id"))
                .body("error.code", equalTo("previous_response_not_found"));

        given().header("Authorization", KEY).delete("/v1/responses/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("object", equalTo("response.deleted")).body("deleted", equalTo(true));
        given().header("Authorization", KEY).get("/v1/responses/" + id).then().statusCode(404)
                .body("error.message", equalTo("Response with id '" + id + "' not found."));
        given().header("Authorization", KEY).delete("/v1/responses/" + id).then().statusCode(404);
    }

    @Test
    void storeFalseKeepsNothing() throws Exception {
        JsonNode response = created("""
                {"model":"claude-haiku-4-5","input":"Forget this","store":false}""");
        assertEquals(false, response.get("store").asBoolean());
        given().header("Authorization", KEY).get("/v1/responses/" + response.get("id").asText()).then()
                .statusCode(404);
    }

    @Test
    void previousResponseIdSendsTheWholeConversationToBedrock() throws Exception {
        JsonNode first = created("""
                {"model":"claude-haiku-4-5","input":"My name is Ada","instructions":"Be kind."}""");
        JsonNode second = created("""
                {"model":"claude-haiku-4-5","input":"What is my name?","previous_response_id":"%s"}"""
                .formatted(first.get("id").asText()));
        // The simulator counts a word a token: the earlier turns (without the earlier instructions) and the new one.
        int earlier = first.at("/usage/input_tokens").asInt() - 2 + first.at("/usage/output_tokens").asInt();
        assertEquals(earlier + 4, second.at("/usage/input_tokens").asInt());
        assertEquals(first.get("id").asText(), second.get("previous_response_id").asText());
        assertEquals("Simulated reply from " + MODEL_ID + ": What is my name?", text(second));
    }

    @Test
    void aFunctionCallRoundTripThroughPreviousResponseId() throws Exception {
        String tools = """
                [{"type":"function","name":"get_weather","description":"Weather of a city","parameters":
                  {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]""";
        JsonNode call = created("""
                {"model":"claude-haiku-4-5","input":"Use the tool for Paris","tools":%s}""".formatted(tools));
        JsonNode item = call.get("output").get(call.get("output").size() - 1);
        assertEquals("function_call", item.get("type").asText());
        assertEquals("get_weather", item.get("name").asText());
        assertTrue(item.get("id").asText().startsWith("fc_"));
        JSON.readTree(item.get("arguments").asText()).get("city").asText();
        String callId = item.get("call_id").asText();
        JsonNode answer = created("""
                {"model":"claude-haiku-4-5","previous_response_id":"%s","tools":%s,
                 "input":[{"type":"function_call_output","call_id":"%s","output":"18C and sunny"}]}"""
                .formatted(call.get("id").asText(), tools, callId));
        assertEquals("Simulated reply from " + MODEL_ID + ": tool said 18C and sunny", text(answer));
    }

    @Test
    void refusalsAreOpenAiErrors() {
        post("{\"model\":\"no-such-model\",\"input\":\"x\"}").then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
        post("{\"model\":\"claude-haiku-4-5\",\"input\":42}").then().statusCode(400)
                .body("error.param", equalTo("input")).body("error.type", equalTo("invalid_request_error"));
        post("""
                {"model":"claude-haiku-4-5","input":"x","tools":[{"type":"web_search"}]}""").then().statusCode(400)
                .body("error.param", equalTo("tools[0]")).body("error.code", equalTo("unsupported_parameter"));
        post("{\"model\":\"claude-haiku-4-5\",\"input\":\"x\",\"frobnicate\":1}").then().statusCode(400)
                .body("error.param", equalTo("frobnicate"));
        post("{\"model\":\"claude-haiku-4-5\",\"input\":\"simulate:throttle\"}").then().statusCode(429)
                .body("error.type", equalTo("rate_limit_error"));
        given().contentType(ContentType.JSON).body("{\"model\":\"claude-haiku-4-5\",\"input\":\"x\"}")
                .post("/v1/responses").then().statusCode(401)
                .body("error.message", startsWith("You didn't provide an API key."));
        given().header("Authorization", "Bearer sk-wrong").contentType(ContentType.JSON)
                .body("{\"model\":\"claude-haiku-4-5\",\"input\":\"x\"}").post("/v1/responses").then()
                .statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header("Authorization", "Bearer sk-wrong").get("/v1/responses/resp_x").then().statusCode(401);
        given().header("Authorization", KEY).get("/v1/responses/resp_unknown/input_items?limit=500").then()
                .statusCode(400).body("error.param", equalTo("limit"));
    }

    /** Reasoning (as summary, then as reasoning text) and a tool call, streamed: every event in OpenAI's schema. */
    @Test
    void reasoningAndToolCallsStreamInTheirOwnEvents() throws Exception {
        String tools = """
                [{"type":"function","name":"get_weather","parameters":{"type":"object",
                  "properties":{"city":{"type":"string"}},"required":["city"]}}]""";
        for (String summary : List.of("\"summary\":\"auto\",", "")) {
            Response answer = post("""
                    {"model":"claude-haiku-4-5","input":"Use the tool please","stream":true,"tools":%s,
                     "reasoning":{%s"effort":"low"}}""".formatted(tools, summary));
            assertEquals(200, answer.statusCode(), answer.asString());
            List<JsonNode> events = events(answer.asString());
            List<String> types = events.stream().map(e -> e.get("type").asText()).distinct().toList();
            List<String> reasoning = summary.isEmpty()
                    ? List.of("response.content_part.added", "response.reasoning_text.delta",
                            "response.reasoning_text.done", "response.content_part.done")
                    : List.of("response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
                            "response.reasoning_summary_text.done", "response.reasoning_summary_part.done");
            List<String> expected = new ArrayList<>(List.of("response.created", "response.in_progress",
                    "response.output_item.added"));
            expected.addAll(reasoning);
            expected.addAll(List.of("response.output_item.done", "response.function_call_arguments.delta",
                    "response.function_call_arguments.done", "response.completed"));
            assertEquals(expected, types);
            JsonNode completed = events.get(events.size() - 1).get("response");
            JsonNode thought = completed.get("output").get(0);
            assertEquals("reasoning", thought.get("type").asText());
            String text = summary.isEmpty() ? thought.at("/content/0/text").asText()
                    : thought.at("/summary/0/text").asText();
            assertEquals("Simulated thinking about: Use the tool please", text);
            assertTrue(thought.get("encrypted_content").asText().startsWith("bgr1."));
            JsonNode call = completed.get("output").get(1);
            assertEquals("function_call", call.get("type").asText());
            assertEquals("get_weather", call.get("name").asText());
            JSON.readTree(call.get("arguments").asText()).get("city").asText();
        }
    }
}
