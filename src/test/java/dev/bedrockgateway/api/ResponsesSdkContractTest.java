package dev.bedrockgateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseIncludable;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseInputMessageItem;
import com.openai.models.responses.ResponseItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import com.openai.models.responses.ResponseUsage;
import com.openai.models.responses.StructuredResponse;
import com.openai.models.responses.WebSearchTool;

import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The official OpenAI Java SDK's {@code client.responses()} against {@code /v1/responses}, the gateway calling the
 * Bedrock simulator through the real AWS SDK: every answer and stream event parsed and validated by the SDK's own
 * types, items the SDK returned sent back as they are (function calls, reasoning with its sealed thinking), and the
 * refusals arriving as the SDK's typed exceptions. The simulator checks what Bedrock checks (thinking signatures it
 * issued, alternating turns), so a request that reached it mangled fails here.
 */
@QuarkusTest
@WithTestResource(SimulatedBedrock.class)
public class ResponsesSdkContractTest {

    static final String MODEL = "claude-haiku-4-5";
    static final String MODEL_ID = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    static final String REPLY = "Simulated reply from " + MODEL_ID + ": ";
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/v1")
    URL baseUrl;

    OpenAIClient openai;

    @BeforeEach
    void setUp() {
        openai = client("sk-test-key-1");
    }

    @AfterEach
    void tearDown() {
        openai.close();
    }

    OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey(key).maxRetries(0).build();
    }

    /** The text of every output message, read through the SDK's types: output item -> message -> output_text. */
    static String outputText(Response response) {
        StringBuilder text = new StringBuilder();
        response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream())
                .flatMap(content -> content.outputText().stream())
                .map(ResponseOutputText::text)
                .forEach(text::append);
        return text.toString();
    }

    static int words(String text) {
        return text.trim().split("\\s+").length;
    }

    static FunctionTool weatherTool() {
        return FunctionTool.builder().name("get_weather").description("The weather of a city")
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties",
                                JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .strict(true)
                .build();
    }

    /** What the SDK makes of a function call's arguments ({@link ResponseFunctionToolCall#arguments(Class)}). */
    public record WeatherArguments(String city) {
    }

    static ResponseInputItem userMessage(String text) {
        return ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                .content(text).build());
    }

    static ResponseInputItem toolResult(String callId, String result) {
        return ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(callId)
                .output(result).build());
    }

    static ResponseFunctionToolCall onlyFunctionCall(Response response) {
        List<ResponseFunctionToolCall> calls = response.output().stream()
                .flatMap(item -> item.functionCall().stream()).toList();
        assertEquals(1, calls.size(), response.toString());
        return calls.get(0);
    }

    @Test
    void aTextAnswerParsesAsAResponseWithTheSimulatorsEcho() {
        Response response = openai.responses().create(ResponseCreateParams.builder().model(MODEL)
                .input("Hello there").maxOutputTokens(100).build());

        response.validate();
        assertTrue(response.id().startsWith("resp_"), response.id());
        assertEquals(ResponseStatus.COMPLETED, response.status().orElseThrow());
        assertEquals(MODEL, response.model().asString());
        assertEquals(100L, response.maxOutputTokens().orElseThrow());
        assertEquals(1, response.output().size());
        ResponseOutputItem item = response.output().get(0);
        assertTrue(item.isMessage(), item.toString());
        assertEquals(1, item.asMessage().content().size());
        assertEquals(REPLY + "Hello there", item.asMessage().content().get(0).asOutputText().text());
        assertEquals(REPLY + "Hello there", outputText(response));
        ResponseUsage usage = response.usage().orElseThrow();
        assertEquals(2, usage.inputTokens(), "one token a word");
        assertEquals(words(REPLY + "Hello there"), usage.outputTokens());
        assertEquals(usage.inputTokens() + usage.outputTokens(), usage.totalTokens());
    }

    /** The type and sequence number of an event, read through the SDK's union: an event it cannot name fails. */
    record Seen(String type, long sequenceNumber) {
    }

    static Seen seen(ResponseStreamEvent event) {
        if (event.isCreated()) {
            return new Seen("response.created", event.asCreated().sequenceNumber());
        }
        if (event.isInProgress()) {
            return new Seen("response.in_progress", event.asInProgress().sequenceNumber());
        }
        if (event.isOutputItemAdded()) {
            return new Seen("response.output_item.added", event.asOutputItemAdded().sequenceNumber());
        }
        if (event.isContentPartAdded()) {
            return new Seen("response.content_part.added", event.asContentPartAdded().sequenceNumber());
        }
        if (event.isOutputTextDelta()) {
            return new Seen("response.output_text.delta", event.asOutputTextDelta().sequenceNumber());
        }
        if (event.isOutputTextDone()) {
            return new Seen("response.output_text.done", event.asOutputTextDone().sequenceNumber());
        }
        if (event.isContentPartDone()) {
            return new Seen("response.content_part.done", event.asContentPartDone().sequenceNumber());
        }
        if (event.isOutputItemDone()) {
            return new Seen("response.output_item.done", event.asOutputItemDone().sequenceNumber());
        }
        if (event.isCompleted()) {
            return new Seen("response.completed", event.asCompleted().sequenceNumber());
        }
        return fail("An event this text stream should not send: " + event);
    }

    @Test
    void aStreamParsesEventByEventAndAccumulatesToTheNonStreamedResponse() {
        ResponseCreateParams params = ResponseCreateParams.builder().model(MODEL).input("Stream this please")
                .build();
        String expected = REPLY + "Stream this please";

        List<ResponseStreamEvent> events = new ArrayList<>();
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        try (StreamResponse<ResponseStreamEvent> stream = openai.responses().createStreaming(params)) {
            stream.stream().forEach(event -> {
                event.validate();
                events.add(event);
                accumulator.accumulate(event);
            });
        }

        List<Seen> seen = events.stream().map(ResponsesSdkContractTest::seen).toList();
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed"),
                seen.stream().map(Seen::type).distinct().toList());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i).sequenceNumber(), "sequence numbers count from 0 without gaps: " + seen);
        }
        StringBuilder deltas = new StringBuilder();
        events.stream().filter(ResponseStreamEvent::isOutputTextDelta)
                .forEach(event -> deltas.append(event.asOutputTextDelta().delta()));
        assertEquals(expected, deltas.toString());
        assertEquals(expected, events.stream().filter(ResponseStreamEvent::isOutputTextDone).findFirst()
                .orElseThrow().asOutputTextDone().text());
        Response created = events.get(0).asCreated().response();
        assertEquals(ResponseStatus.IN_PROGRESS, created.status().orElseThrow());
        Response completed = events.get(events.size() - 1).asCompleted().response();
        assertEquals(created.id(), completed.id());
        assertEquals(ResponseStatus.COMPLETED, completed.status().orElseThrow());
        assertEquals(expected, outputText(completed));

        Response accumulated = accumulator.response();
        accumulated.validate();
        Response whole = openai.responses().create(params);
        assertEquals(completed.id(), accumulated.id());
        assertEquals(whole.status(), accumulated.status());
        assertEquals(whole.model(), accumulated.model());
        assertEquals(outputText(whole), outputText(accumulated));
        assertEquals(expected, outputText(accumulated));
        assertEquals(whole.output().size(), accumulated.output().size());
        assertEquals(whole.usage().orElseThrow().inputTokens(), accumulated.usage().orElseThrow().inputTokens());
        assertEquals(whole.usage().orElseThrow().outputTokens(), accumulated.usage().orElseThrow().outputTokens());
        assertEquals(whole.usage().orElseThrow().totalTokens(), accumulated.usage().orElseThrow().totalTokens());
    }

    @Test
    void aFunctionCallRoundTripsThroughPreviousResponseId() {
        Response first = openai.responses().create(ResponseCreateParams.builder().model(MODEL)
                .input("Use the tool for Paris").addTool(weatherTool()).build());

        first.validate();
        ResponseFunctionToolCall call = onlyFunctionCall(first);
        assertTrue(first.output().get(first.output().size() - 1).isFunctionCall(), "the call comes last");
        assertEquals("get_weather", call.name());
        assertTrue(call.callId().startsWith("tooluse_"), call.callId());
        assertTrue(call.id().orElseThrow().startsWith("fc_"), call.toString());
        assertEquals(new WeatherArguments("example"), call.arguments(WeatherArguments.class),
                "the simulator fills required string properties with 'example'");

        Response answer = openai.responses().create(ResponseCreateParams.builder().model(MODEL)
                .previousResponseId(first.id()).addTool(weatherTool())
                .inputOfResponse(List.of(toolResult(call.callId(), "18C and sunny"))).build());

        answer.validate();
        assertEquals(ResponseStatus.COMPLETED, answer.status().orElseThrow());
        assertEquals(first.id(), answer.previousResponseId().orElseThrow());
        assertEquals(REPLY + "tool said 18C and sunny", outputText(answer));
    }

    /** store=false: the client keeps the conversation, sending the SDK's own function_call item back as it came. */
    @Test
    void aFunctionCallRoundTripsWithTheWholeConversationSentBack() {
        ResponseInputItem question = userMessage("Use the tool for Paris");
        Response first = openai.responses().create(ResponseCreateParams.builder().model(MODEL).store(false)
                .inputOfResponse(List.of(question)).addTool(weatherTool()).build());
        first.validate();
        // This SDK version's Response has no store() accessor: the field is kept among its additional properties.
        assertEquals(JsonValue.from(false), first._additionalProperties().get("store"));
        ResponseFunctionToolCall call = onlyFunctionCall(first);

        Response answer = openai.responses().create(ResponseCreateParams.builder().model(MODEL).store(false)
                .addTool(weatherTool())
                .inputOfResponse(List.of(question, ResponseInputItem.ofFunctionCall(call),
                        toolResult(call.callId(), "18C and sunny")))
                .build());

        answer.validate();
        assertEquals(REPLY + "tool said 18C and sunny", outputText(answer));
        assertThrows(NotFoundException.class, () -> openai.responses().retrieve(answer.id()),
                "store=false keeps nothing");
    }

    @Test
    void reasoningOnClaudeIsAReasoningItemWithItsSummaryAndSealedThinking() {
        Response response = openai.responses().create(ResponseCreateParams.builder().model(MODEL)
                .input("Think about the sea")
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).summary(Reasoning.Summary.AUTO).build())
                .build());

        response.validate();
        assertEquals(2, response.output().size(), response.toString());
        assertTrue(response.output().get(0).isReasoning(), "reasoning comes first: " + response.output());
        ResponseReasoningItem reasoning = response.output().get(0).asReasoning();
        assertEquals(1, reasoning.summary().size());
        assertEquals("Simulated thinking about: Think about the sea", reasoning.summary().get(0).text());
        assertTrue(reasoning.encryptedContent().orElseThrow().length() > 20, reasoning.toString());
        assertFalse(reasoning.encryptedContent().orElseThrow().contains("Simulated thinking"),
                "the thinking is sealed, not readable");
        assertEquals(REPLY + "Think about the sea", outputText(response));
        assertEquals(Reasoning.Summary.AUTO, response.reasoning().orElseThrow().summary().orElseThrow());
    }

    /** A request as Codex sends it: nothing stored, the sealed reasoning asked for, the conversation whole. */
    static ResponseCreateParams codexStyle(List<ResponseInputItem> input) {
        return ResponseCreateParams.builder().model(MODEL).store(false)
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).summary(Reasoning.Summary.AUTO).build())
                .include(List.of(ResponseIncludable.REASONING_ENCRYPTED_CONTENT))
                .addTool(weatherTool()).inputOfResponse(input).build();
    }

    /**
     * The loop Codex runs: store=false, reasoning.encrypted_content included, every item sent back. The simulator,
     * like Bedrock, refuses a tool loop whose thinking lost its signature: the second call succeeding proves the
     * sealed thinking survived the SDK's types; altering it is refused naming the item.
     */
    @Test
    void aStatelessToolLoopWithReasoningSendsTheSealedThinkingBack() {
        ResponseInputItem question = userMessage("Use the tool for Lima");

        Response first = openai.responses().create(codexStyle(List.of(question)));
        first.validate();
        assertEquals(2, first.output().size(), first.toString());
        assertTrue(first.output().get(0).isReasoning(), first.output().toString());
        ResponseReasoningItem reasoning = first.output().get(0).asReasoning();
        assertEquals("Simulated thinking about: Use the tool for Lima", reasoning.summary().get(0).text());
        String sealed = reasoning.encryptedContent().orElseThrow();
        ResponseFunctionToolCall call = onlyFunctionCall(first);
        assertEquals("get_weather", call.name());

        Response answer = openai.responses().create(codexStyle(List.of(question,
                ResponseInputItem.ofReasoning(reasoning), ResponseInputItem.ofFunctionCall(call),
                toolResult(call.callId(), "18C and sunny"))));
        answer.validate();
        assertEquals(ResponseStatus.COMPLETED, answer.status().orElseThrow());
        assertTrue(answer.output().get(0).isReasoning(), answer.output().toString());
        assertEquals("Simulated thinking about: tool said 18C and sunny",
                answer.output().get(0).asReasoning().summary().get(0).text());
        assertEquals(REPLY + "tool said 18C and sunny", outputText(answer));

        int middle = sealed.length() / 2;
        String altered = sealed.substring(0, middle) + (sealed.charAt(middle) == 'A' ? 'B' : 'A')
                + sealed.substring(middle + 1);
        assertNotEquals(sealed, altered);
        BadRequestException refused = assertThrows(BadRequestException.class, () -> openai.responses().create(
                codexStyle(List.of(question,
                        ResponseInputItem.ofReasoning(reasoning.toBuilder().encryptedContent(altered).build()),
                        ResponseInputItem.ofFunctionCall(call), toolResult(call.callId(), "18C and sunny")))));
        assertEquals("input[1].encrypted_content", refused.param().orElseThrow());
        assertEquals("invalid_request_error", refused.type().orElseThrow());
    }

    /**
     * The same first turn streamed: the SDK parses the reasoning summary and function-call argument events, its
     * accumulator rebuilds the reasoning item (sealed thinking included) and the call, and those rebuilt items carry
     * the tool loop on.
     */
    @Test
    void aStreamedReasoningToolCallAccumulatesIntoItemsThatCarryTheLoopOn() {
        ResponseInputItem question = userMessage("Use the tool for Lima");
        List<ResponseStreamEvent> events = new ArrayList<>();
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        try (StreamResponse<ResponseStreamEvent> stream = openai.responses().createStreaming(
                codexStyle(List.of(question)))) {
            stream.stream().forEach(event -> {
                event.validate();
                events.add(event);
                accumulator.accumulate(event);
            });
        }
        assertTrue(events.stream().anyMatch(ResponseStreamEvent::isReasoningSummaryTextDelta), events.toString());
        assertTrue(events.stream().anyMatch(ResponseStreamEvent::isFunctionCallArgumentsDone), events.toString());
        assertTrue(events.get(events.size() - 1).isCompleted(), events.get(events.size() - 1).toString());

        Response first = accumulator.response();
        first.validate();
        assertEquals(2, first.output().size(), first.toString());
        ResponseReasoningItem reasoning = first.output().get(0).asReasoning();
        assertEquals("Simulated thinking about: Use the tool for Lima", reasoning.summary().get(0).text());
        assertTrue(reasoning.encryptedContent().isPresent(), reasoning.toString());
        ResponseFunctionToolCall call = onlyFunctionCall(first);
        assertEquals("get_weather", call.name());
        assertEquals(new WeatherArguments("example"), call.arguments(WeatherArguments.class));

        Response answer = openai.responses().create(codexStyle(List.of(question,
                ResponseInputItem.ofReasoning(reasoning), ResponseInputItem.ofFunctionCall(call),
                toolResult(call.callId(), "18C and sunny"))));
        answer.validate();
        assertEquals(REPLY + "tool said 18C and sunny", outputText(answer));
    }

    @Test
    void previousResponseIdCarriesTheWholeConversation() {
        Response first = openai.responses().create(ResponseCreateParams.builder().model(MODEL)
                .instructions("Be kind.").input("My name is Ada").build());
        Response second = openai.responses().create(ResponseCreateParams.builder().model(MODEL)
                .previousResponseId(first.id()).input("What is my name?").build());

        second.validate();
        assertEquals(first.id(), second.previousResponseId().orElseThrow());
        assertEquals(REPLY + "What is my name?", outputText(second));
        // The simulator counts a word a token: the earlier turns (without the earlier instructions) and the new one.
        ResponseUsage before = first.usage().orElseThrow();
        assertEquals(6, before.inputTokens(), "'Be kind.' and 'My name is Ada'");
        long earlier = before.inputTokens() - 2 + before.outputTokens();
        assertEquals(earlier + 4, second.usage().orElseThrow().inputTokens());
    }

    @Test
    void aJsonSchemaFormatAnswersJsonOfThatSchema() throws Exception {
        ResponseFormatTextJsonSchemaConfig format = ResponseFormatTextJsonSchemaConfig.builder().name("city")
                .schema(ResponseFormatTextJsonSchemaConfig.Schema.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                "name", Map.of("type", "string"),
                                "population", Map.of("type", "integer"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("name", "population")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .strict(true)
                .build();

        Response response = openai.responses().create(ResponseCreateParams.builder().model(MODEL)
                .input("Name a city").text(ResponseTextConfig.builder().format(format).build()).build());

        response.validate();
        assertEquals(ResponseStatus.COMPLETED, response.status().orElseThrow());
        assertEquals(1, response.output().size(), "the answer is a message, not the hidden tool call");
        assertTrue(response.output().get(0).isMessage(), response.output().toString());
        JsonNode answer = JSON.readTree(outputText(response));
        assertEquals(JSON.readTree("{\"name\":\"example\",\"population\":1}"), answer,
                "the simulator fills each required property with a placeholder of its type");
        assertTrue(response.text().orElseThrow().format().orElseThrow().isJsonSchema());
        assertEquals("city", response.text().orElseThrow().format().orElseThrow().asJsonSchema().name());
    }

    /** What the SDK's typed structured output ({@code .text(Class)}) derives its schema from and reads back into. */
    public static class City {
        public String name;
        public long population;
    }

    @Test
    void theSdksTypedStructuredOutputReadsTheAnswerIntoItsClass() {
        StructuredResponse<City> response = openai.responses().create(ResponseCreateParams.builder().model(MODEL)
                .input("Name a city").text(City.class).build());

        List<City> cities = response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream())
                .flatMap(content -> content.outputText().stream()).toList();
        assertEquals(1, cities.size(), response.rawResponse().toString());
        assertEquals("example", cities.get(0).name);
        assertEquals(1, cities.get(0).population);
    }

    @Test
    void aStoredResponseIsRetrievedListedAndDeletedByItsOwnerOnly() {
        Response created = openai.responses().create(ResponseCreateParams.builder().model(MODEL)
                .input("Keep this").build());
        String id = created.id();

        Response retrieved = openai.responses().retrieve(id);
        retrieved.validate();
        assertEquals(id, retrieved.id());
        assertEquals(REPLY + "Keep this", outputText(retrieved));
        assertEquals(created, retrieved);

        List<ResponseItem> items = openai.responses().inputItems().list(id).data();
        assertEquals(1, items.size(), items.toString());
        assertTrue(items.get(0).isResponseInputMessageItem(), items.toString());
        ResponseInputMessageItem message = items.get(0).asResponseInputMessageItem();
        message.validate();
        assertEquals(ResponseInputMessageItem.Role.USER, message.role());
        assertEquals("Keep this", message.content().get(0).asInputText().text());
        assertTrue(message.id().startsWith("msg_"), message.id());

        OpenAIClient other = client("sk-test-key-2");
        try {
            assertThrows(NotFoundException.class, () -> other.responses().retrieve(id));
            assertThrows(NotFoundException.class, () -> other.responses().delete(id));
        } finally {
            other.close();
        }
        openai.responses().delete(id);
        NotFoundException gone = assertThrows(NotFoundException.class, () -> openai.responses().retrieve(id));
        assertTrue(gone.getMessage().contains("Response with id '" + id + "' not found."), gone.getMessage());
        assertThrows(NotFoundException.class, () -> openai.responses().delete(id));
    }

    @Test
    void refusalsArriveAsTheSdkExceptionsOpenAiWouldCause() {
        NotFoundException unknown = assertThrows(NotFoundException.class, () -> openai.responses().create(
                ResponseCreateParams.builder().model("no-such-model").input("Hi").build()));
        assertEquals("model_not_found", unknown.code().orElseThrow());

        BadRequestException builtIn = assertThrows(BadRequestException.class, () -> openai.responses().create(
                ResponseCreateParams.builder().model(MODEL).input("Search the web")
                        .addTool(WebSearchTool.builder().type(WebSearchTool.Type.WEB_SEARCH).build()).build()));
        assertEquals("tools[0]", builtIn.param().orElseThrow());
        assertEquals("unsupported_parameter", builtIn.code().orElseThrow());

        OpenAIClient wrong = client("sk-wrong");
        try {
            UnauthorizedException unauthorized = assertThrows(UnauthorizedException.class, () -> wrong.responses()
                    .create(ResponseCreateParams.builder().model(MODEL).input("Hi").build()));
            assertEquals("invalid_api_key", unauthorized.code().orElseThrow());
        } finally {
            wrong.close();
        }

        RateLimitException limited = assertThrows(RateLimitException.class, () -> openai.responses().create(
                ResponseCreateParams.builder().model(MODEL).input("simulate:throttle").build()));
        assertEquals("rate_limit_error", limited.type().orElseThrow());
        assertFalse(limited.headers().values("Retry-After").isEmpty(), "a 429 says when to come back");
    }
}
