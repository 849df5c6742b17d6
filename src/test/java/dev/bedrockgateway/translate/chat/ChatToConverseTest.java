package dev.bedrockgateway.translate.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.openai.OpenAiJson;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelMode;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.pipeline.Parsed;
import dev.bedrockgateway.translate.UnsupportedParams;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/** Pure translation, no server: OpenAI request JSON in, SDK ConverseRequest out. */
class ChatToConverseTest {

    static final Deployment CLAUDE = new Deployment("claude", "anthropic.claude-3-haiku-20240307-v1:0", "us-east-1",
            ModelMode.CHAT, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
            Optional.empty(), OptionalInt.empty(), 0);

    static final Deployment LLAMA = new Deployment("llama", "meta.llama3-8b-instruct-v1:0", "us-east-1",
            ModelMode.CHAT, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
            Optional.empty(), OptionalInt.empty(), 0);

    static ChatTranslation translation(String json, Deployment deployment, boolean drop) {
        Parsed<ChatCompletionRequest> parsed = OpenAiJson.parse(
                OpenAiJson.readerFor(ChatCompletionRequest.class), json.getBytes());
        return ChatToConverse.toConverse(parsed.value(), deployment,
                new UnsupportedParams(drop, parsed.unknownParams()));
    }

    static ConverseRequest translate(String json) {
        return translation(json, CLAUDE, false).request();
    }

    static OpenAiException rejected(String json) {
        return assertThrows(OpenAiException.class, () -> translate(json));
    }

    @Test
    void userAfterToolResultsMergesIntoOneTurnWithResultsFirst() {
        ConverseRequest request = translate("""
                {"model":"m","messages":[
                  {"role":"user","content":"q"},
                  {"role":"assistant","tool_calls":[{"id":"c1","type":"function",
                     "function":{"name":"f","arguments":""}}]},
                  {"role":"user","content":"also this"},
                  {"role":"tool","tool_call_id":"c1","content":"result"}]}""");
        List<Message> messages = request.messages();
        assertEquals(3, messages.size());
        assertEquals(ConversationRole.USER, messages.get(2).role());
        List<ContentBlock> last = messages.get(2).content();
        assertEquals("c1", last.get(0).toolResult().toolUseId());
        assertEquals("also this", last.get(1).text());
        assertTrue(messages.get(1).content().get(0).toolUse().input().asMap().isEmpty());
        assertEquals("f", request.toolConfig().tools().get(0).toolSpec().name());
    }

    @Test
    void toolChoiceNoneOffersNoToolAndSendsToolHistoryAsText() {
        ConverseRequest request = translate("""
                {"model":"m","tool_choice":"none",
                 "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],
                 "messages":[
                  {"role":"user","content":"q"},
                  {"role":"assistant","tool_calls":[{"id":"c1","type":"function",
                     "function":{"name":"f","arguments":"{\\"a\\":1}"}}]},
                  {"role":"tool","tool_call_id":"c1","content":"42"}]}""");
        assertNull(request.toolConfig());
        assertEquals("[called tool f with {\"a\":1}]", request.messages().get(1).content().get(0).text());
        assertEquals("[tool result for c1: 42]", request.messages().get(2).content().get(0).text());
    }

    @Test
    void namedToolChoiceMustBeDeclared() {
        ConverseRequest request = translate("""
                {"model":"m","messages":[{"role":"user","content":"q"}],
                 "tools":[{"type":"function","function":{"name":"f","description":"does f"}}],
                 "tool_choice":{"type":"function","function":{"name":"f"}}}""");
        assertEquals("f", request.toolConfig().toolChoice().tool().name());
        assertEquals("does f", request.toolConfig().tools().get(0).toolSpec().description());
        assertEquals("tool_choice.function.name", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}],
                 "tools":[{"type":"function","function":{"name":"f"}}],
                 "tool_choice":{"type":"function","function":{"name":"g"}}}""").param());
        assertEquals("tool_choice", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"tool_choice":"required"}""").param());
    }

    @Test
    void dataUrlImagesBecomeImageBlocksCheckedAgainstTheBytes() {
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0 };
        String data = Base64.getEncoder().encodeToString(png);
        ConverseRequest request = translate("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"what is it?"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,%s"}}]}]}""".formatted(data));
        ContentBlock image = request.messages().get(0).content().get(1);
        assertEquals(ImageFormat.PNG, image.image().format());
        assertEquals(List.of(png.length), List.of(image.image().source().bytes().asByteArray().length));

        assertEquals("messages[0].content[0].image_url.url", rejected("""
                {"model":"m","messages":[{"role":"user","content":[
                  {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,%s"}}]}]}""".formatted(data)).param());
        assertEquals("messages[0].content[0].image_url.url", rejected("""
                {"model":"m","messages":[{"role":"user","content":[
                  {"type":"image_url","image_url":{"url":"data:image/tiff;base64,%s"}}]}]}""".formatted(data)).param());
        assertEquals("messages[0].content[1].type", rejected("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"x"},
                  {"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}""").param());
    }

    @Test
    void aDataUrlImageAboveBedrocksLimitIsA400NamingThePart() {
        byte[] big = new byte[Images.MAX_IMAGE_BYTES + 1024];
        big[0] = (byte) 0x89;
        big[1] = 'P';
        big[2] = 'N';
        big[3] = 'G';
        String data = Base64.getEncoder().encodeToString(big);
        var error = rejected("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"x"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,%s"}}]}]}""".formatted(data));
        assertEquals("messages[0].content[1].image_url.url", error.param());
        assertEquals("image_too_large", error.code());
        assertEquals(400, error.status());
    }

    @Test
    void emptyAndWhitespaceTextNeverReachesBedrock() {
        ConverseRequest request = translate("""
                {"model":"m","messages":[{"role":"system","content":" "},{"role":"user","content":"\\n"},
                  {"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"real"}]}]}""");
        assertTrue(request.system().isEmpty());
        assertEquals(1, request.messages().size());
        assertEquals(List.of(ContentBlock.fromText("real")), request.messages().get(0).content());
        assertEquals("messages", rejected("""
                {"model":"m","messages":[{"role":"user","content":"   "}]}""").param());
    }

    @Test
    void stopListsAndDefaults() {
        assertEquals(List.of("a", "b"), translate("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"stop":["a","","b"]}""")
                .inferenceConfig().stopSequences());
        assertTrue(translate("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"stop":null}""")
                .inferenceConfig().stopSequences().isEmpty());
        assertEquals("stop[1]", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"stop":["a",1]}""").param());
        assertEquals(Integer.valueOf(10), translate("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"max_tokens":10}""")
                .inferenceConfig().maxTokens());
    }

    /**
     * An answer appended to the history as the SDKs hand it over: Python's {@code message.model_dump()} and OpenAI's
     * own shape ({@code annotations: []}), and what the {@code parse()} helpers add ({@code parsed},
     * {@code parsed_arguments}).
     */
    @Test
    void anAnswerSentBackAsItCameIsAccepted() {
        ConverseRequest request = translate("""
                {"model":"m","messages":[
                  {"role":"user","content":"Weather in Paris?"},
                  {"content":null,"refusal":null,"role":"assistant","annotations":[],"audio":null,
                   "function_call":null,"parsed":null,
                   "tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather",
                      "arguments":"{\\"city\\":\\"Paris\\"}","parsed_arguments":{"city":"Paris"}}}]},
                  {"role":"tool","tool_call_id":"c1","content":"21C"},
                  {"role":"assistant","content":"It is 21C.","annotations":[{"type":"url_citation",
                     "url_citation":{"url":"https://example.com","title":"t","start_index":0,"end_index":3}}],
                   "parsed":{"answer":"21C"}},
                  {"role":"user","content":"Thanks"}]}""");
        List<Message> messages = request.messages();
        assertEquals(5, messages.size());
        assertEquals("Paris", messages.get(1).content().get(0).toolUse().input().asMap().get("city").asString());
        assertEquals("It is 21C.", messages.get(3).content().get(0).text());
        assertEquals("messages[1].citations", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"},
                  {"role":"assistant","content":"a","citations":[]}]}""").param());
    }

    @Test
    void unknownFieldsAreReportedWithTheirPath() {
        OpenAiException e = rejected("""
                {"model":"m","messages":[{"role":"user","content":"q","colour":"blue"}]}""");
        assertEquals("messages[0].colour", e.param());
        assertEquals("unknown_parameter", e.code());
    }

    @Test
    void reasoningFollowsAnthropicRules() {
        ConverseRequest request = translate("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"reasoning_effort":"low","max_tokens":3000,
                 "temperature":1,"top_p":0.97}""");
        assertEquals(1024, request.additionalModelRequestFields().asMap().get("thinking").asMap()
                .get("budget_tokens").asNumber().intValue());
        assertEquals(Integer.valueOf(3000), request.inferenceConfig().maxTokens());
        assertEquals("max_tokens", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"reasoning_effort":"medium","max_tokens":2048}""")
                .param());
        assertEquals("temperature", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"reasoning_effort":"low","temperature":0.2}""")
                .param());
        assertEquals("top_p", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"thinking":{"type":"enabled","budget_tokens":2000},
                 "top_p":0.5}""").param());
        assertEquals("thinking.budget_tokens", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"thinking":{"type":"enabled","budget_tokens":10}}""")
                .param());
        assertEquals("reasoning_effort", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"reasoning_effort":"extreme"}""").param());
        assertNull(translate("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"reasoning_effort":"none"}""")
                .additionalModelRequestFields());

        OpenAiException llama = assertThrows(OpenAiException.class, () -> translation("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"reasoning_effort":"high"}""", LLAMA, false));
        assertEquals("reasoning_effort", llama.param());
        assertEquals("unsupported_parameter", llama.code());
        ChatTranslation dropped = translation("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"reasoning_effort":"high","temperature":0.3}""",
                CLAUDE, true);
        assertEquals(List.of("temperature"), dropped.droppedParams());
        assertNull(dropped.request().inferenceConfig().temperature());
    }

    @Test
    void structuredOutputForcesOneToolOrAnyWhenRealToolsExist() {
        ChatTranslation jsonObject = translation("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"response_format":{"type":"json_object"}}""",
                CLAUDE, false);
        assertEquals("json_response", jsonObject.structuredOutputTool());
        assertEquals("json_response", jsonObject.request().toolConfig().toolChoice().tool().name());

        ConverseRequest withTools = translate("""
                {"model":"m","messages":[{"role":"user","content":"q"}],
                 "tools":[{"type":"function","function":{"name":"search"}}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"}}}}""");
        assertEquals(2, withTools.toolConfig().tools().size());
        assertTrue(withTools.toolConfig().toolChoice().any() != null);

        assertEquals("response_format.json_schema.schema", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"array"}}}}""").param());
        assertEquals("response_format.json_schema.name", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}],
                 "tools":[{"type":"function","function":{"name":"answer"}}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"answer"}}}""").param());
        assertEquals("response_format.type", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"}],"response_format":{"type":"yaml"}}""").param());
    }

    @Test
    void cacheControlMustBeEphemeral() {
        assertEquals("messages[0].content[0].cache_control.type", rejected("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"x",
                  "cache_control":{"type":"forever"}}]}]}""").param());
    }

    @Test
    void thinkingBlocksWithoutSignatureAreRefused() {
        assertEquals("messages[1].thinking_blocks[0]", rejected("""
                {"model":"m","messages":[{"role":"user","content":"q"},
                  {"role":"assistant","content":"a","thinking_blocks":[{"type":"thinking","thinking":"t"}]},
                  {"role":"user","content":"q2"}]}""").param());
    }
    // --- file parts -> document blocks ---------------------------------------------------------------------------

    static final byte[] PDF = "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj <<>> endobj\n".getBytes(StandardCharsets.ISO_8859_1);

    static String filePart(String fileJson) {
        return """
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Summarise."},
                  {"type":"file","file":%s}]}]}""".formatted(fileJson);
    }

    @Test
    void aPdfDataUrlBecomesADocumentBlockWithItsExactBytesAndASanitisedName() {
        ConverseRequest request = translate("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Summarise."},
                  {"type":"file","file":{"filename":"reports/Q3  report: <final>!.pdf",
                    "file_data":"data:application/pdf;base64,%s"},"cache_control":{"type":"ephemeral"}}]}]}"""
                .formatted(Base64.getEncoder().encodeToString(PDF)));
        List<ContentBlock> content = request.messages().get(0).content();
        assertEquals("Summarise.", content.get(0).text());
        DocumentBlock document = content.get(1).document();
        assertEquals(DocumentFormat.PDF, document.format());
        assertEquals("Q3 report final", document.name());
        assertArrayEquals(PDF, document.source().bytes().asByteArray());
        assertNull(document.context());
        assertEquals(CachePointType.DEFAULT, content.get(2).cachePoint().type());
        assertEquals(3, content.size());
    }

    @Test
    void aGenericMediaTypeTakesTheFormatFromTheFileNameAndNoNameBecomesDocumentN() {
        String csv = Base64.getEncoder().encodeToString("quarter,revenue\nQ3,42\n".getBytes(StandardCharsets.UTF_8));
        DocumentBlock fromExtension = translate(filePart("""
                {"filename":"Figures.CSV","file_data":"data:application/octet-stream;base64,%s"}""".formatted(csv)))
                .messages().get(0).content().get(1).document();
        assertEquals(DocumentFormat.CSV, fromExtension.format());
        assertEquals("Figures", fromExtension.name());

        DocumentBlock noName = translate(filePart("""
                {"file_data":"data:text/markdown; charset=utf-8;base64,%s"}""".formatted(csv)))
                .messages().get(0).content().get(1).document();
        assertEquals(DocumentFormat.MD, noName.format());
        assertEquals("document-1", noName.name());
    }

    @Test
    void duplicateFileNamesBecomeUniqueDocumentNamesAcrossTheRequest() {
        String pdf = "data:application/pdf;base64," + Base64.getEncoder().encodeToString(PDF);
        ConverseRequest request = translate("""
                {"model":"m","messages":[
                  {"role":"user","content":[{"type":"text","text":"Read these."},
                    {"type":"file","file":{"filename":"report.pdf","file_data":"%1$s"}},
                    {"type":"file","file":{"filename":"report.pdf","file_data":"%1$s"}},
                    {"type":"file","file":{"filename":".pdf","file_data":"%1$s"}}]},
                  {"role":"assistant","content":"Read."},
                  {"role":"user","content":[{"type":"text","text":"And this one?"},
                    {"type":"file","file":{"filename":"REPORT.pdf","file_data":"%1$s"}}]}]}""".formatted(pdf));
        List<Message> messages = request.messages();
        assertEquals(List.of("report", "report (2)", "document-3"), messages.get(0).content().stream().skip(1)
                .map(block -> block.document().name()).toList());
        assertEquals("REPORT (3)", messages.get(2).content().get(1).document().name());
    }

    @Test
    void aFileIdIsA400NamingItForTheGatewayHasNoFilesApi() {
        OpenAiException error = rejected(filePart("""
                {"file_id":"file-abc123"}"""));
        assertEquals("messages[0].content[1].file.file_id", error.param());
        assertEquals("unsupported_parameter", error.code());
        assertEquals(400, error.status());
        assertTrue(error.getMessage().contains("file_data"), error.getMessage());
        assertEquals("messages[0].content[1].file.file_id", rejected(filePart("""
                {"file_id":"file-abc123","file_data":"data:application/pdf;base64,JVBERi0="}""")).param());

        assertEquals("messages[0].content[1].file.file_data", rejected(filePart("""
                {"filename":"a.pdf"}""")).param());
        assertEquals("messages[0].content[0].file", rejected("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"file"}]}]}""").param());
    }

    @Test
    void invalidBase64OrNoDataUrlIsA400NamingFileData() {
        for (String data : List.of("data:application/pdf;base64,JVBER!i0xLjQ=", "data:application/pdf;base64,JVBE Ri0=",
                "data:application/pdf;base64,JVBERi0xLjQ=x", "data:application/pdf;base64,", "JVBERi0xLjQK",
                "data:application/pdf,%PDF-1.4", "https://example.com/report.pdf")) {
            OpenAiException error = rejected(filePart("""
                    {"filename":"a.pdf","file_data":"%s"}""".formatted(data)));
            assertEquals("messages[0].content[1].file.file_data", error.param(), data);
            assertEquals("invalid_value", error.code(), data);
        }
        // Line breaks, as MIME encoders write them, are the one thing besides the alphabet that base64 may hold.
        assertArrayEquals(PDF, translate(filePart("""
                {"filename":"a.pdf","file_data":"data:application/pdf;base64,%s"}"""
                .formatted(Base64.getMimeEncoder(8, "\r\n".getBytes()).encodeToString(PDF).replace("\r\n", "\\r\\n"))))
                .messages().get(0).content().get(1).document().source().bytes().asByteArray());
    }

    @Test
    void anUnsupportedFileTypeIsA400ListingTheSupportedOnes() {
        OpenAiException image = rejected(filePart("""
                {"filename":"cat.png","file_data":"data:image/png;base64,iVBORw0KGgo="}"""));
        assertEquals("messages[0].content[1].file.file_data", image.param());
        assertEquals("invalid_value", image.code());
        assertTrue(image.getMessage().contains("'image/png'"), image.getMessage());
        assertTrue(image.getMessage().contains("application/pdf (.pdf)"), image.getMessage());
        assertTrue(image.getMessage().contains("text/markdown (.md)"), image.getMessage());

        OpenAiException unknown = rejected(filePart("""
                {"filename":"blob.bin","file_data":"data:application/octet-stream;base64,AAAA"}"""));
        assertEquals("messages[0].content[1].file.file_data", unknown.param());
        assertTrue(unknown.getMessage().contains("'blob.bin'"), unknown.getMessage());
        assertEquals("messages[0].content[1].file.file_data", rejected(filePart("""
                {"file_data":"data:;base64,AAAA"}""")).param());
    }

    @Test
    void filesAreUserContentOnly() {
        assertEquals("messages[0].content[0].type", rejected("""
                {"model":"m","messages":[{"role":"system","content":[
                  {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]},
                  {"role":"user","content":"q"}]}""").param());
    }
}
