package dev.bedrockgateway.translate.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.error.OpenAiException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;

/** Pure translation: Anthropic request JSON in, SDK ConverseRequest out, or a 400 naming the field. */
class MessagesToConverseTest {

    static final String NOVA = "us.amazon.nova-lite-v1:0";
    static final String LLAMA = "meta.llama3-3-70b-instruct-v1:0";
    static final String PNG = "iVBORw0KGgoAAAANSUhEUg==";

    static ObjectNode json(String json) {
        try {
            return (ObjectNode) ConverseWire.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static MessagesConverse translate(String json, String modelId) {
        return MessagesToConverse.toConverse(json(json), modelId);
    }

    static ConverseRequest request(String json) {
        return translate(json, NOVA).request();
    }

    static OpenAiException rejected(String json, String modelId) {
        OpenAiException e = assertThrows(OpenAiException.class, () -> translate(json, modelId));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(e.param()), "the message names the field: " + e.getMessage());
        return e;
    }

    static OpenAiException rejected(String json) {
        return rejected(json, NOVA);
    }

    /** A request with {@code extra} fields added to the smallest valid body. */
    static String with(String extra) {
        return "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    @Test
    void maxTokensIsRequiredAsInAnthropicsApi() {
        OpenAiException e = rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}]}""");
        assertEquals("max_tokens", e.param());
        assertEquals("max_tokens: Field required", e.getMessage());
        assertEquals("max_tokens", rejected("""
                {"model":"m","max_tokens":0,"messages":[{"role":"user","content":"q"}]}""").param());
        assertEquals("max_tokens", rejected("""
                {"model":"m","max_tokens":"10","messages":[{"role":"user","content":"q"}]}""").param());
    }

    @Test
    void unknownFieldsAreRefusedInAnthropicsWordsWithTheirPath() {
        OpenAiException top = rejected(with("\"frequency_penalty\":0.5"));
        assertEquals("frequency_penalty", top.param());
        assertEquals("frequency_penalty: Extra inputs are not permitted", top.getMessage());
        assertEquals("messages[0].name", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"q","name":"bob"}]}""").param());
        assertEquals("messages[0].content[0].colour", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"text","text":"q","colour":"blue"}]}]}""").param());
        assertEquals("tools[0].input_examples", rejected(with("""
                "tools":[{"name":"f","input_schema":{"type":"object"},"input_examples":[]}]""")).param());
    }

    @Test
    void modelAndStreamAreLeftToTheCaller() {
        ConverseRequest request = translate(with("\"stream\":true"), LLAMA).request();
        assertEquals(LLAMA, request.modelId());
        assertEquals(Integer.valueOf(10), request.inferenceConfig().maxTokens());
    }

    @Test
    void anthropicRunFeaturesAreRefusedByName() {
        assertEquals("mcp_servers", rejected(with("""
                "mcp_servers":[{"type":"url","url":"https://mcp.example.com","name":"x"}]""")).param());
        assertEquals("container", rejected(with("\"container\":\"c-1\"")).param());
        assertEquals("context_management", rejected(with("\"context_management\":{\"edits\":[]}")).param());
        assertEquals(List.of(), translate(with("\"mcp_servers\":[]"), NOVA).dropped(), "an empty list asks for nothing");
    }

    @Test
    void thinkingIsRefusedUnlessDisabled() {
        assertEquals("thinking", rejected(with("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}"))
                .param());
        assertEquals("thinking", rejected(with("\"thinking\":{\"type\":\"adaptive\"}")).param());
        assertEquals("thinking.type", rejected(with("\"thinking\":{\"type\":\"maybe\"}")).param());
        assertNull(request(with("\"thinking\":{\"type\":\"disabled\"}")).additionalModelRequestFields());
    }

    @Test
    void topKReachesNovaOnlyAndIsRefusedElsewhere() {
        assertEquals(Integer.valueOf(5), translate(with("\"top_k\":5"), NOVA).request()
                .additionalModelRequestFields().asMap().get("inferenceConfig").asMap().get("topK").asNumber()
                .intValue());
        OpenAiException e = rejected(with("\"top_k\":5"), LLAMA);
        assertEquals("top_k", e.param());
        assertEquals("unsupported_parameter", e.code());
    }

    @Test
    void samplingOptionsKeepAnthropicsRanges() {
        assertEquals("temperature", rejected(with("\"temperature\":1.5")).param());
        assertEquals("top_p", rejected(with("\"top_p\":-0.1")).param());
        assertEquals("stop_sequences[1]", rejected(with("\"stop_sequences\":[\"a\",\"\"]")).param());
        assertEquals(Float.valueOf(1.0f), request(with("\"temperature\":1")).inferenceConfig().temperature());
    }

    @Test
    void metadataUserIdIsDroppedAndReported() {
        MessagesConverse converse = translate(with("\"metadata\":{\"user_id\":\"u-1\"}"), NOVA);
        assertEquals(List.of("metadata.user_id"), converse.dropped());
        assertTrue(converse.request().requestMetadata().isEmpty());
        assertEquals(List.of(), translate(with("\"metadata\":{}"), NOVA).dropped());
        assertEquals("metadata.tags", rejected(with("\"metadata\":{\"tags\":[]}")).param());
    }

    @Test
    void serviceTierAndInferenceGeo() {
        assertNull(request(with("\"service_tier\":\"auto\"")).serviceTier());
        assertEquals("service_tier", rejected(with("\"service_tier\":\"priority\"")).param());
        assertNotNull(translate(with("\"inference_geo\":\"global\""), "global.amazon.nova-2-lite-v1:0").request());
        assertEquals("inference_geo", rejected(with("\"inference_geo\":\"eu\""), NOVA).param());
        assertEquals("inference_geo", rejected(with("\"inference_geo\":\"us\""), LLAMA).param());
    }

    @Test
    void outputEffortIsRefusedAndFormatNeedsJsonSchema() {
        assertEquals("output_config.effort", rejected(with("\"output_config\":{\"effort\":\"low\"}")).param());
        assertEquals("output_config.format.type", rejected(with("""
                "output_config":{"format":{"type":"regex","schema":{}}}""")).param());
        assertEquals("{\"type\":\"object\"}", request(with("""
                "output_format":{"type":"json_schema","schema":{"type":"object"}}"""))
                .outputConfig().textFormat().structure().jsonSchema().schema());
    }

    @Test
    void aBase64ImageIsCheckedAgainstItsBytes() {
        ConverseRequest request = request("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%s"}},
                  {"type":"text","text":"what is it?"}]}]}""".formatted(PNG));
        assertEquals("png", request.messages().get(0).content().get(0).image().formatAsString());
        OpenAiException mismatch = rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"%s"}}]}]}"""
                .formatted(PNG));
        assertEquals("messages[0].content[0].source.data", mismatch.param());
        assertEquals("messages[0].content[0].source.media_type", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"base64","media_type":"image/tiff","data":"%s"}}]}]}"""
                .formatted(PNG)).param());
    }

    @Test
    void aUrlImageIsRefusedBecauseThisPathFetchesNothing() {
        OpenAiException e = rejected("""
                {"model":"m","max_tokens":10,"messages":[
                  {"role":"user","content":"hi"},{"role":"assistant","content":"hello"},
                  {"role":"user","content":[{"type":"text","text":"look"},
                    {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}}]}]}""");
        assertEquals("messages[2].content[1].source.type", e.param());
        assertEquals("unsupported_parameter", e.code());
        assertTrue(e.getMessage().contains("does not fetch"), e.getMessage());
        assertEquals("messages[0].content[0].source.type", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}}]}]}""").param());
    }

    @Test
    void documentCitationsAndContentSourcesAreRefused() {
        assertEquals("messages[0].content[0].citations.enabled", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"},
                   "citations":{"enabled":true}}]}]}""").param());
        assertEquals("messages[0].content[0].source.type", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"content","content":"x"}}]}]}""").param());
        assertEquals("messages[0].content[0].source.media_type", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"base64","media_type":"text/csv","data":"eA=="}}]}]}""")
                .param());
    }

    @Test
    void serverToolsAreRefusedNamingTheTool() {
        OpenAiException e = rejected(with("""
                "tools":[{"name":"f","input_schema":{"type":"object"}},
                         {"type":"web_search_20250305","name":"web_search","max_uses":3}]"""));
        assertEquals("tools[1].type", e.param());
        assertTrue(e.getMessage().contains("'web_search'"), e.getMessage());
        assertEquals("tools[0].type", rejected(with("""
                "tools":[{"type":"bash_20250124","name":"bash"}]""")).param());
        assertEquals("messages[1].content[0].type", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"q"},
                  {"role":"assistant","content":[{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search",
                    "input":{"query":"x"}}]},{"role":"user","content":"go on"}]}""").param());
    }

    @Test
    void toolNamesFollowConverseRules() {
        assertEquals("tools[0].name", rejected(with("""
                "tools":[{"name":"get weather","input_schema":{"type":"object"}}]""")).param());
        assertEquals("tools[1].name", rejected(with("""
                "tools":[{"name":"f","input_schema":{"type":"object"}},{"name":"f","input_schema":{}}]""")).param());
        assertEquals("tools[0].input_schema", rejected(with("""
                "tools":[{"name":"f"}]""")).param());
    }

    static final String TOOLS = """
            "tools":[{"name":"f","input_schema":{"type":"object"}},{"name":"g","input_schema":{"type":"object"}}]""";

    @Test
    void toolChoiceAnyAndToolMapToTheirConverseTwins() {
        ToolConfiguration any = request(with(TOOLS + ",\"tool_choice\":{\"type\":\"any\"}")).toolConfig();
        assertNotNull(any.toolChoice().any());
        ToolConfiguration tool = request(with(TOOLS + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"g\"}"))
                .toolConfig();
        assertEquals("g", tool.toolChoice().tool().name());
        assertNotNull(request(with(TOOLS + ",\"tool_choice\":{\"type\":\"auto\"}")).toolConfig().toolChoice().auto());
        assertNull(request(with(TOOLS)).toolConfig().toolChoice());
        assertEquals("tool_choice.name", rejected(with(TOOLS + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"h\"}"))
                .param());
        assertEquals("tool_choice", rejected(with("\"tool_choice\":{\"type\":\"any\"}")).param());
        assertEquals("tool_choice.type", rejected(with(TOOLS + ",\"tool_choice\":{\"type\":\"required\"}")).param());
    }

    @Test
    void toolChoiceNoneOffersNoToolEvenWithToolHistory() {
        ConverseRequest request = request("""
                {"model":"m","max_tokens":10,%s,"tool_choice":{"type":"none"},"messages":[
                  {"role":"user","content":"q"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{"a":1}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,
                    "content":[{"type":"text","text":"boom"},
                      {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%s"}}]}]}]}"""
                .formatted(TOOLS, PNG));
        assertNull(request.toolConfig());
        List<ContentBlock> last = request.messages().get(2).content();
        assertEquals("[tool error for t1: boom]", last.get(0).text());
        assertNotNull(last.get(1).image());
        assertTrue(request.messages().stream().flatMap(m -> m.content().stream())
                .noneMatch(b -> b.toolUse() != null || b.toolResult() != null));
    }

    @Test
    void toolHistoryWithoutDeclaredToolsStillGetsAToolConfig() {
        ConverseRequest request = request("""
                {"model":"m","max_tokens":10,"messages":[
                  {"role":"user","content":"q"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"lookup","input":{}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"42"}]}]}""");
        assertEquals("lookup", request.toolConfig().tools().get(0).toolSpec().name());
        assertEquals("object", request.toolConfig().tools().get(0).toolSpec().inputSchema().json().asMap()
                .get("type").asString());
        assertNull(request.toolConfig().toolChoice());
    }

    static final String FAILED_TOOL = """
            {"model":"m","max_tokens":10,"messages":[
              {"role":"user","content":"q"},
              {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":"boom"}]}]}""";

    @Test
    void aToolErrorIsAStatusWhereConverseTakesOneAndTextElsewhere() {
        ToolResultBlock nova = translate(FAILED_TOOL, NOVA).request().messages().get(2).content().get(0).toolResult();
        assertEquals(ToolResultStatus.ERROR, nova.status());
        assertEquals(List.of(ToolResultContentBlock.fromText("boom")), nova.content());
        ToolResultBlock llama = translate(FAILED_TOOL, LLAMA).request().messages().get(2).content().get(0)
                .toolResult();
        assertNull(llama.status(), "Bedrock takes a tool result status from Nova and Claude only");
        assertEquals(List.of(ToolResultContentBlock.fromText("[tool error]"), ToolResultContentBlock.fromText("boom")),
                llama.content());
    }

    @Test
    void aToolResultMustAnswerAToolUse() {
        assertEquals("messages[1].content[0].tool_use_id", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"q"},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"nowhere","content":"x"}]}]}""")
                .param());
        assertEquals("messages[1].content[0].input", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"q"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":"{}"}]}]}""")
                .param());
    }

    @Test
    void consecutiveTurnsMergeAndEmptyTextNeverReachesBedrock() {
        ConverseRequest request = request("""
                {"model":"m","max_tokens":10,"system":"  ","messages":[
                  {"role":"user","content":"a"},{"role":"user","content":[{"type":"text","text":" "}]},
                  {"role":"user","content":[{"type":"text","text":"b"}]},
                  {"role":"assistant","content":"c"},{"role":"assistant","content":""},
                  {"role":"assistant","content":[{"type":"text","text":"d"}]}]}""");
        assertTrue(request.system().isEmpty());
        assertEquals(2, request.messages().size());
        assertEquals(List.of(ContentBlock.fromText("a"), ContentBlock.fromText("b")),
                request.messages().get(0).content());
        assertEquals(List.of(ContentBlock.fromText("c"), ContentBlock.fromText("d")),
                request.messages().get(1).content());
        assertEquals("messages", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"   "}]}""").param());
        assertEquals("messages", rejected("""
                {"model":"m","max_tokens":10,"messages":[]}""").param());
    }

    @Test
    void theConversationMustStartWithTheUser() {
        assertEquals("messages[1].role", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"system","content":"be brief"},
                  {"role":"assistant","content":"hello"},{"role":"user","content":"q"}]}""").param());
        assertEquals("messages[0].role", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"tool","content":"x"}]}""").param());
    }

    @Test
    void blocksAreCheckedAgainstTheirRole() {
        assertEquals("messages[0].content[0].type", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"tool_use","id":"t","name":"f","input":{}}]}]}""").param());
        assertEquals("messages[1].content[0].type", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"q"},
                  {"role":"assistant","content":[{"type":"image","source":{"type":"base64",
                    "media_type":"image/png","data":"%s"}}]}]}""".formatted(PNG)).param());
        assertEquals("messages[0].content[0].type", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"search_result","source":"s","title":"t","content":[]}]}]}""").param());
    }

    @Test
    void cacheControlIsCheckedAndItsTtlMapped() {
        assertEquals("messages[0].content[0].cache_control.ttl", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"text","text":"q","cache_control":{"type":"ephemeral","ttl":"10m"}}]}]}""").param());
        assertEquals("system[0].cache_control.type", rejected(with("""
                "system":[{"type":"text","text":"s","cache_control":{"type":"persistent"}}]""")).param());
        ConverseRequest request = request("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"text","text":"q","cache_control":{"type":"ephemeral","ttl":"1h"}}]}]}""");
        assertEquals("1h", request.messages().get(0).content().get(1).cachePoint().ttlAsString());
    }

    @Test
    void aModelWithoutPromptCachingGetsNoCachePointButTheMarkIsStillChecked() {
        MessagesConverse converse = translate("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"text","text":"q","cache_control":{"type":"ephemeral"}}]}]}""", LLAMA);
        assertEquals(List.of(ContentBlock.fromText("q")), converse.request().messages().get(0).content());
        assertEquals(List.of("messages[0].content[0].cache_control"), converse.dropped());
        assertEquals("messages[0].content[0].cache_control.ttl", rejected("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"text","text":"q","cache_control":{"type":"ephemeral","ttl":"2h"}}]}]}""", LLAMA).param());
    }

    @Test
    void aCacheControlInsideAToolResultMarksTheEndOfTheResult() {
        ConverseRequest request = request("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"q"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[
                    {"type":"text","text":"long result","cache_control":{"type":"ephemeral"}}]},
                    {"type":"text","text":"next"}]}]}""");
        List<ContentBlock> last = request.messages().get(2).content();
        assertNotNull(last.get(0).toolResult());
        assertNotNull(last.get(1).cachePoint());
        assertEquals("next", last.get(2).text());
    }

    @Test
    void theStreamRequestIsTheSameRequest() {
        MessagesConverse converse = translate(with(TOOLS + ",\"system\":\"s\",\"temperature\":0.5"), NOVA);
        assertEquals(ConverseWire.body(converse.request()), ConverseWire.body(converse.streamRequest()));
        assertEquals(NOVA, converse.streamRequest().modelId());
    }
}
