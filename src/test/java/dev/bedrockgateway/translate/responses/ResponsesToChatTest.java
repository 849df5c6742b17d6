package dev.bedrockgateway.translate.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelMode;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.OpenAiJson;
import dev.bedrockgateway.openai.ResponsesRequest;
import dev.bedrockgateway.openai.ThinkingBlock;
import dev.bedrockgateway.pipeline.Parsed;
import dev.bedrockgateway.translate.UnsupportedParams;
import dev.bedrockgateway.translate.chat.ChatTranslation;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/** Pure translation, no server: Responses request JSON in, the Converse request the chat translator makes out. */
class ResponsesToChatTest {

    static final Deployment CLAUDE = new Deployment("claude", "anthropic.claude-sonnet-4-5-20250929-v1:0",
            "us-east-1", ModelMode.CHAT, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
            OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), 0);
    static final ReasoningSeal SEAL = ReasoningSeal.of("test secret".getBytes(StandardCharsets.UTF_8));
    static final ObjectMapper JSON = new ObjectMapper();

    static ResponsesInput read(String json, ArrayNode previous) {
        Parsed<ResponsesRequest> parsed = OpenAiJson.parse(OpenAiJson.readerFor(ResponsesRequest.class),
                json.getBytes(StandardCharsets.UTF_8));
        return ResponsesToChat.read(parsed.value(), previous, SEAL);
    }

    static ChatTranslation translation(String json, boolean drop) {
        Parsed<ResponsesRequest> parsed = OpenAiJson.parse(OpenAiJson.readerFor(ResponsesRequest.class),
                json.getBytes(StandardCharsets.UTF_8));
        return ResponsesToChat.read(parsed.value(), null, SEAL).translate(CLAUDE,
                new UnsupportedParams(drop, parsed.unknownParams()));
    }

    static ConverseRequest converse(String json) {
        return translation(json, false).request();
    }

    static OpenAiException refused(String json) {
        return assertThrows(OpenAiException.class, () -> converse(json));
    }

    @Test
    void aStringInputIsOneUserTurnAndInstructionsAreTheSystemPrompt() {
        ConverseRequest request = converse("""
                {"model":"m","input":"Hello there","instructions":"Be brief.","max_output_tokens":50,
                 "temperature":0.2}""");
        assertEquals(1, request.messages().size());
        assertEquals(ConversationRole.USER, request.messages().get(0).role());
        assertEquals("Hello there", request.messages().get(0).content().get(0).text());
        assertEquals("Be brief.", request.system().get(0).text());
        assertEquals(50, request.inferenceConfig().maxTokens());
        assertEquals(0.2f, request.inferenceConfig().temperature());
    }

    @Test
    void aFunctionCallRoundTripBecomesToolUseThenToolResult() {
        ConverseRequest request = converse("""
                {"model":"m","tools":[{"type":"function","name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}}}}],
                 "input":[
                  {"role":"user","content":[{"type":"input_text","text":"Weather in Paris?"}]},
                  {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather",
                   "arguments":"{\\"city\\":\\"Paris\\"}"},
                  {"type":"function_call_output","call_id":"call_1","output":"18C and sunny"}]}""");
        List<Message> turns = request.messages();
        assertEquals(3, turns.size());
        ContentBlock use = turns.get(1).content().get(0);
        assertEquals("call_1", use.toolUse().toolUseId());
        assertEquals("get_weather", use.toolUse().name());
        assertEquals("Paris", use.toolUse().input().asMap().get("city").asString());
        ContentBlock result = turns.get(2).content().get(0);
        assertEquals("call_1", result.toolResult().toolUseId());
        assertEquals("18C and sunny", result.toolResult().content().get(0).text());
        assertEquals("get_weather", request.toolConfig().tools().get(0).toolSpec().name());
    }

    @Test
    void aSealedReasoningItemGoesBackToBedrockAsTheThinkingBlockItWas() {
        String sealed = SEAL.seal(List.of(new ThinkingBlock(ThinkingBlock.THINKING, "Let me think.", "sig-1", null)));
        ConverseRequest request = converse("""
                {"model":"m","reasoning":{"effort":"low"},"tools":[{"type":"function","name":"f"}],
                 "input":[
                  {"role":"user","content":"go"},
                  {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"%s"},
                  {"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
                  {"type":"function_call_output","call_id":"c1","output":"done"}]}""".formatted(sealed));
        Message assistant = request.messages().get(1);
        assertEquals("Let me think.", assistant.content().get(0).reasoningContent().reasoningText().text());
        assertEquals("sig-1", assistant.content().get(0).reasoningContent().reasoningText().signature());
        assertEquals("c1", assistant.content().get(1).toolUse().toolUseId());
        assertEquals(1024, request.additionalModelRequestFields().asMap().get("thinking").asMap()
                .get("budget_tokens").asNumber().intValue());
        for (String[] effort : new String[][] {{"medium", "2048"}, {"high", "4096"}, {"xhigh", "8192"},
                {"max", "16384"}}) {
            ConverseRequest asked = converse("""
                    {"model":"m","input":"x","reasoning":{"effort":"%s"}}""".formatted(effort[0]));
            assertEquals(Integer.parseInt(effort[1]), asked.additionalModelRequestFields().asMap().get("thinking")
                    .asMap().get("budget_tokens").asNumber().intValue(), effort[0]);
        }
    }

    @Test
    void anAlteredSealIsRefusedNamingTheItem() {
        String sealed = SEAL.seal(List.of(new ThinkingBlock(ThinkingBlock.THINKING, "t", "s", null)));
        String altered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
        OpenAiException e = refused("""
                {"model":"m","input":[{"role":"user","content":"go"},
                  {"type":"reasoning","summary":[],"encrypted_content":"%s"}]}""".formatted(altered));
        assertEquals("input[1].encrypted_content", e.param());
        OpenAiException other = assertThrows(OpenAiException.class,
                () -> ReasoningSeal.of("another secret".getBytes(StandardCharsets.UTF_8)).open(sealed, "x"));
        assertEquals("x", other.param());
    }

    @Test
    void namespacedToolsAreFlattenedForBedrockAndCallsNameThemBack() {
        ResponsesInput input = read("""
                {"model":"m","input":[{"role":"user","content":"hi"},
                  {"type":"function_call","call_id":"c1","namespace":"multi_agent_v1","name":"wait_agent",
                   "arguments":"{}"},
                  {"type":"function_call_output","call_id":"c1","output":"ok"}],
                 "tools":[{"type":"namespace","name":"multi_agent_v1","description":"agents","tools":[
                   {"type":"function","name":"wait_agent","parameters":{"type":"object","properties":{}}}]}]}""",
                null);
        ConverseRequest request = input.translate(CLAUDE, new UnsupportedParams(false, List.of())).request();
        assertEquals("multi_agent_v1__wait_agent", request.toolConfig().tools().get(0).toolSpec().name());
        assertEquals("multi_agent_v1__wait_agent", request.messages().get(1).content().get(0).toolUse().name());
        var call = OutputItems.functionCall("fc_1", "completed", "c2", "multi_agent_v1__wait_agent", "{}",
                input.namespaced());
        assertEquals("multi_agent_v1", call.get("namespace").asText());
        assertEquals("wait_agent", call.get("name").asText());
    }

    @Test
    void builtInToolsAreRefusedByNameOrDroppedUnderDropParams() {
        String json = """
                {"model":"m","input":"hi","tools":[{"type":"function","name":"f"},
                  {"type":"web_search","external_web_access":false}]}""";
        OpenAiException e = refused(json);
        assertEquals("tools[1]", e.param());
        assertTrue(e.getMessage().contains("'web_search'"), e.getMessage());
        ChatTranslation dropped = translation(json, true);
        assertEquals(List.of("tools[1]"), read(json, null).dropped(dropped.droppedParams()));
        assertEquals(1, dropped.request().toolConfig().tools().size());
    }

    @Test
    void theChatTranslatorsRefusalsNameTheResponsesFields() {
        assertEquals("input[1].content[0].image_url", refused("""
                {"model":"m","input":[{"role":"developer","content":"x"},{"role":"user","content":[
                  {"type":"input_image","image_url":"data:image/png;base64,@@@"}]}]}""").param());
        assertEquals("input[2].arguments", refused("""
                {"model":"m","tools":[{"type":"function","name":"f"}],"input":[{"role":"user","content":"x"},
                  {"type":"reasoning","summary":[]},
                  {"type":"function_call","call_id":"c","name":"f","arguments":"not json"}]}""").param());
        assertEquals("text.format.name", refused("""
                {"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"bad name!",
                  "schema":{"type":"object"}}}}""").param());
        assertEquals("reasoning.effort", refused("""
                {"model":"m","input":"x","reasoning":{"effort":"extreme"}}""").param());
        assertEquals("tools[0].parameters", refused("""
                {"model":"m","input":"x","tools":[{"type":"function","name":"f","parameters":"no"}]}""").param());
    }

    @Test
    void itemsAreCheckedWithTheirOwnParams() {
        assertEquals("input", refused("{\"model\":\"m\"}").param());
        assertEquals("input[0].role", refused("""
                {"model":"m","input":[{"role":"robot","content":"x"}]}""").param());
        assertEquals("input[0].type", refused("""
                {"model":"m","input":[{"type":"web_search_call","id":"ws_1"}]}""").param());
        assertEquals("input[0].content[0].file_id", refused("""
                {"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"file-1"}]}]}""")
                .param());
        assertEquals("input[0].call_id", refused("""
                {"model":"m","input":[{"type":"function_call_output","output":"x"}]}""").param());
        assertEquals("include[0]", refused("""
                {"model":"m","input":"x","include":["everything"]}""").param());
        assertEquals("background", refused("""
                {"model":"m","input":"x","background":true}""").param());
        assertEquals("truncation", refused("""
                {"model":"m","input":"x","truncation":"auto"}""").param());
        assertEquals("reasoning.summary", refused("""
                {"model":"m","input":"x","reasoning":{"summary":"verbose"}}""").param());
    }

    @Test
    void aContinuationSendsTheStoredContextBeforeTheNewInputAndKeepsInstructionsOut() throws Exception {
        ArrayNode previous = (ArrayNode) JSON.readTree("""
                [{"id":"msg_a","type":"message","role":"user","content":[{"type":"input_text","text":"first"}]},
                 {"id":"msg_b","type":"message","role":"assistant","status":"completed",
                  "content":[{"type":"output_text","text":"answer","annotations":[],"logprobs":[]}]}]""");
        ResponsesInput input = read("""
                {"model":"m","instructions":"sys","input":"second"}""", previous);
        ConverseRequest request = input.translate(CLAUDE, new UnsupportedParams(false, List.of())).request();
        assertEquals(3, request.messages().size());
        assertEquals("first", request.messages().get(0).content().get(0).text());
        assertEquals("answer", request.messages().get(1).content().get(0).text());
        assertEquals("second", request.messages().get(2).content().get(0).text());
        assertEquals(1, input.inputItems().size());
        assertEquals("second", input.inputItems().get(0).at("/content/0/text").asText());
        assertTrue(input.inputItems().get(0).get("id").asText().startsWith("msg_"));
        assertEquals(3, input.context().size(), "the stored context and this input, without the instructions");
        assertNotEquals("developer", input.context().get(0).get("role").asText());
    }

    @Test
    void toolChoiceFormsMapToConverse() {
        ConverseRequest forced = converse("""
                {"model":"m","input":"x","tools":[{"type":"function","name":"f"},{"type":"function","name":"g"}],
                 "tool_choice":{"type":"function","name":"g"}}""");
        assertEquals("g", forced.toolConfig().toolChoice().tool().name());
        ConverseRequest allowed = converse("""
                {"model":"m","input":"x","tools":[{"type":"function","name":"f"},{"type":"function","name":"g"}],
                 "tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"f"}]}}""");
        assertEquals(1, allowed.toolConfig().tools().size());
        assertEquals("f", allowed.toolConfig().tools().get(0).toolSpec().name());
        assertTrue(allowed.toolConfig().toolChoice().any() != null);
    }

    @Test
    void anInputFileIsADocumentBlockWithItsBytes() {
        byte[] pdf = "%PDF-1.4 tiny".getBytes(StandardCharsets.US_ASCII);
        String data = java.util.Base64.getEncoder().encodeToString(pdf);
        ConverseRequest request = converse("""
                {"model":"m","input":[{"role":"user","content":[
                  {"type":"input_file","filename":"Q3 report.pdf","file_data":"data:application/pdf;base64,%s"},
                  {"type":"input_text","text":"Summarise"}]}]}""".formatted(data));
        var document = request.messages().get(0).content().get(0).document();
        assertEquals("pdf", document.formatAsString());
        assertEquals("Q3 report", document.name());
        assertEquals(java.util.Arrays.toString(pdf), java.util.Arrays.toString(document.source().bytes().asByteArray()));
        assertEquals("input[0].content[0].file_data", refused("""
                {"model":"m","input":[{"role":"user","content":[
                  {"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,@@"}]}]}""")
                .param());
    }

    @Test
    void aFunctionCallOutputMayCarryImagesAsCodexViewImageSendsThem() {
        String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
        String items = """
                {"model":"m","tools":[{"type":"function","name":"view_image"}],"input":[
                  {"role":"user","content":"look"},
                  {"type":"function_call","call_id":"c1","name":"view_image","arguments":"{}"},
                  {"type":"function_call_output","call_id":"c1","output":[
                    {"type":"input_text","text":"the image:"},
                    {"type":"input_image","image_url":"%s","detail":"high"}]}]}""";
        ConverseRequest request = converse(items.formatted("data:image/png;base64," + png));
        var result = request.messages().get(2).content().get(0).toolResult();
        assertEquals("the image:", result.content().get(0).text());
        assertEquals("png", result.content().get(1).image().formatAsString());
        assertEquals(java.util.Arrays.toString(java.util.Base64.getDecoder().decode(png)),
                java.util.Arrays.toString(result.content().get(1).image().source().bytes().asByteArray()));
        assertEquals("input[2].output[1].image_url", refused(items.formatted("https://example.com/a.png")).param());
    }

    @Test
    void promptCacheKeyCachesTheSharedPrefixOnModelsThatCachePrompts() {
        String json = """
                {"model":"m","instructions":"You are Codex.","prompt_cache_key":"thread-1",
                 "tools":[{"type":"function","name":"exec_command"}],
                 "input":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"},
                   {"role":"user","content":"again"}]}""";
        ConverseRequest cached = converse(json);
        assertTrue(cached.system().get(cached.system().size() - 1).cachePoint() != null);
        var tools = cached.toolConfig().tools();
        assertTrue(tools.get(tools.size() - 1).cachePoint() != null);
        var last = cached.messages().get(2).content();
        assertEquals("again", last.get(0).text());
        assertTrue(last.get(last.size() - 1).cachePoint() != null);
        assertEquals(1, cached.messages().stream().flatMap(m -> m.content().stream())
                .filter(b -> b.cachePoint() != null).count(), "one cache point in the messages: after the last turn");

        ConverseRequest plain = converse(json.replace("\"prompt_cache_key\":\"thread-1\",", ""));
        assertTrue(plain.system().stream().allMatch(b -> b.cachePoint() == null));
        assertTrue(plain.messages().stream().flatMap(m -> m.content().stream()).allMatch(b -> b.cachePoint() == null));

        Deployment llama = new Deployment("llama", "meta.llama3-8b-instruct-v1:0", "us-east-1", ModelMode.CHAT,
                OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
                OptionalInt.empty(), 0);
        ConverseRequest other = read(json, null).translate(llama, new UnsupportedParams(false, List.of())).request();
        assertTrue(other.system().stream().allMatch(b -> b.cachePoint() == null));
        assertTrue(other.messages().stream().flatMap(m -> m.content().stream()).allMatch(b -> b.cachePoint() == null));
    }
}
