package dev.bedrockgateway.dev;

import static dev.bedrockgateway.dev.BedrockSimulator.JSON;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.dev.BedrockSimulator.AwsError;

/**
 * The deterministic chat model behind the simulator's Converse routes. It echoes the last user turn as {@code
 * Simulated reply from <modelId>: <text>}, counts one token per whitespace-separated word, and honours {@code
 * maxTokens}, {@code stopSequences} and tool configuration the way a real model would report them.
 *
 * <p>What the last user turn can trigger, so tests can steer the model:
 * <ul>
 * <li>toolResult blocks: the reply is {@code Simulated reply from <modelId>: tool said <result text>};</li>
 * <li>a tool call when tools are configured and {@code toolChoice} is {@code any} or {@code tool}, or the text has
 * the word {@code tool}; with the word {@code explain} too, a text block (the usual reply) precedes the call;</li>
 * <li>{@code simulate:} directives ({@link Directives}, listed in {@link BedrockSimulator}'s Javadoc).</li>
 * </ul>
 * Document blocks are checked as Bedrock checks them (the name's characters, names unique within the request, the
 * format) and echoed in their place in the turn as {@code [document <name>: <format>, <n> bytes]}, so that a test can
 * see what reached Bedrock; their content counts no input tokens.
 *
 * <p>Extended thinking, for Claude model ids that take it ({@link ClaudeModels#thinks}), with {@code
 * additionalModelRequestFields.thinking} {@code {"type": "enabled", "budget_tokens": N}} (or {@code adaptive} where
 * the model takes it), checked by {@link ClaudeValidation#converse} with the Messages API's words:
 * <ul>
 * <li>the reply starts with a reasoningContent block, {@code Simulated thinking about: <last user text>} (or {@code
 * tool said <results>}) as the simulated Claude of InvokeModel thinks, signed by {@link ThinkingSignatures}; its words
 * count as output tokens, bounded by {@code budget_tokens} and, with the text, by {@code maxTokens};</li>
 * <li>streamed as Bedrock streams it: a reasoning text delta per word, one signature delta, then the block's
 * contentBlockStop;</li>
 * <li>reasoning sent back must carry the signature the simulator gave it (in any turn, thinking on or off), and with
 * thinking on the last assistant turn, when it calls tools, must start with its reasoning; {@code thinking} for a
 * Claude model without extended thinking is refused as an extra input. Other models ignore {@code
 * additionalModelRequestFields}.</li>
 * </ul>
 *
 * <p>Request and response shapes: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 * and https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 */
final class SimulatedModel {

    /** A tool call the model makes; {@code input} is derived from the tool's JSON schema. */
    record ToolCall(String id, String name, ObjectNode input) {
    }

    /**
     * One content block of the reply: text ({@code text}), reasoning ({@code text} and its {@code signature}) or a
     * tool call ({@code toolUse}).
     */
    record Block(String text, String signature, ToolCall toolUse) {

        static Block text(String text) {
            return new Block(text, null, null);
        }

        /** Reasoning signed by {@link ThinkingSignatures}, so that the model can check it when it comes back. */
        static Block reasoning(String thinking) {
            return new Block(thinking, ThinkingSignatures.sign(thinking), null);
        }

        static Block tool(ToolCall call) {
            return new Block(null, null, call);
        }

        boolean reasoning() {
            return signature != null;
        }

        ObjectNode toJson() {
            ObjectNode block = JSON.createObjectNode();
            if (reasoning()) {
                block.putObject("reasoningContent").putObject("reasoningText")
                        .put("text", text)
                        .put("signature", signature);
                return block;
            }
            if (text != null) {
                return block.put("text", text);
            }
            block.putObject("toolUse")
                    .put("toolUseId", toolUse.id())
                    .put("name", toolUse.name())
                    .set("input", toolUse.input());
            return block;
        }
    }

    /** The model's reply, and how the simulator is asked to serve it. */
    record Reply(List<Block> content, String stopReason, int inputTokens, int outputTokens, Directives directives) {
    }

    /** One ConverseStreamOutput event: {@code type} goes into the {@code :event-type} frame header. */
    record StreamEvent(String type, ObjectNode payload) {
    }

    /**
     * Text generated under the request's limits; {@code stopReason} is null when the model finished on its own, {@code
     * stopSequence} the sequence it stopped at when that is the reason.
     */
    record Generated(List<String> pieces, String stopReason, String stopSequence) {

        String text() {
            return String.join("", pieces);
        }
    }

    /** A word with the whitespace before it: the unit of tokens, of {@code maxTokens} and of stream deltas. */
    private static final Pattern PIECE = Pattern.compile("\\s*\\S+");
    private static final Pattern TOOL_WORD = Pattern.compile("\\btool\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern EXPLAIN_WORD = Pattern.compile("\\bexplain\\b", Pattern.CASE_INSENSITIVE);
    private static final int TOOL_INPUT_FRAGMENT_CHARS = 8;
    private static final String THINKING = "Simulated thinking about: ";

    private SimulatedModel() {
    }

    /**
     * Validates a Converse request like Bedrock does and produces the model's reply.
     *
     * @param replyWords when positive, every text reply has exactly this many words (its own words repeated or cut),
     *                   so that a benchmark's streams have a known number of deltas
     */
    static Reply respond(String modelId, JsonNode request, int replyWords) {
        Validation.validate(request);
        ClaudeValidation.Thinking thinking = ClaudeModels.isClaude(modelId)
                ? ClaudeValidation.converse(modelId, request) : ClaudeValidation.Thinking.OFF;
        JsonNode lastUser = lastUserMessage(request.path("messages"));
        String userText = joinedText(lastUser.path("content"));
        Directives directives = Directives.parse(userText);
        int inputTokens = inputWords(request);
        Limits limits = Limits.of(request.path("inferenceConfig"), replyWords);
        List<String> toolResults = toolResultTexts(lastUser.path("content"));
        String subject = toolResults.isEmpty() ? echoedText(lastUser.path("content"))
                : "tool said " + String.join(" ", toolResults);
        if (!thinking.on()) {
            return answer(modelId, request, userText, toolResults.isEmpty(), subject, limits, inputTokens,
                    directives);
        }
        // Thinking comes out of maxTokens first, as with the simulated Claude of InvokeModel.
        Integer maxTokens = limits.maxTokens();
        Integer budget = thinking.budget() == null ? maxTokens
                : maxTokens == null ? thinking.budget() : Math.min(thinking.budget(), maxTokens);
        Generated thought = generate(thinking(subject), new Limits(budget, List.of(), 0));
        Block reasoning = Block.reasoning(thought.text());
        int thoughtTokens = thought.pieces().size();
        if (maxTokens != null && thoughtTokens >= maxTokens) {
            return new Reply(List.of(reasoning), "max_tokens", inputTokens, thoughtTokens, directives);
        }
        Limits rest = new Limits(maxTokens == null ? null : maxTokens - thoughtTokens, limits.stopSequences(),
                replyWords);
        Reply answer = answer(modelId, request, userText, toolResults.isEmpty(), subject, rest, inputTokens,
                directives);
        List<Block> content = new ArrayList<>();
        content.add(reasoning);
        content.addAll(answer.content());
        return new Reply(content, answer.stopReason(), inputTokens, thoughtTokens + answer.outputTokens(),
                directives);
    }

    /** The reply after any reasoning: text, or a tool call (after text when the user asks to explain). */
    private static Reply answer(String modelId, JsonNode request, String userText, boolean mayCallTool,
            String subject, Limits limits, int inputTokens, Directives directives) {
        String prefix = replyPrefix(modelId);
        JsonNode toolSpec = mayCallTool ? chosenTool(request.path("toolConfig"), userText) : null;
        if (toolSpec == null) {
            return textReply(prefix + subject, limits, inputTokens, directives);
        }
        String lead = asksToExplain(userText) ? prefix + subject : null;
        return toolReply(lead, toolSpec, limits, inputTokens, directives);
    }

    static int words(String text) {
        return pieces(text).size();
    }

    /** The reasoning of a Claude model that thinks, about the last user text or {@code tool said <results>}. */
    static String thinking(String subject) {
        return THINKING + subject;
    }

    /** What every text reply starts with. */
    static String replyPrefix(String modelId) {
        return "Simulated reply from " + modelId + ": ";
    }

    /** Whether the user's text asks for a tool call when the tool choice leaves it to the model. */
    static boolean asksForTool(String userText) {
        return TOOL_WORD.matcher(userText).find();
    }

    /** Whether the user's text asks for a text block before the tool call. */
    static boolean asksToExplain(String userText) {
        return EXPLAIN_WORD.matcher(userText).find();
    }

    static ObjectNode converseResponse(Reply reply, long latencyMs) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode message = response.putObject("output").putObject("message");
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        reply.content().forEach(block -> content.add(block.toJson()));
        response.put("stopReason", reply.stopReason());
        response.set("usage", usage(reply));
        response.putObject("metrics").put("latencyMs", latencyMs);
        return response;
    }

    /**
     * The ConverseStream event sequence for {@code reply}. Text and reasoning blocks get no contentBlockStart
     * (Bedrock sends one only for tool use); text and reasoning text are delivered a word per delta, reasoning's
     * signature in one delta after its text, tool input as fragments of its JSON string.
     */
    static List<StreamEvent> streamEvents(Reply reply, long latencyMs) {
        List<StreamEvent> events = new ArrayList<>();
        events.add(new StreamEvent("messageStart", JSON.createObjectNode().put("role", "assistant")));
        for (int index = 0; index < reply.content().size(); index++) {
            Block block = reply.content().get(index);
            if (block.reasoning()) {
                reasoningEvents(index, block, events);
            } else if (block.text() != null) {
                textEvents(index, block.text(), events);
            } else {
                toolEvents(index, block.toolUse(), events);
            }
            events.add(new StreamEvent("contentBlockStop", indexed(index)));
        }
        events.add(new StreamEvent("messageStop", JSON.createObjectNode().put("stopReason", reply.stopReason())));
        ObjectNode metadata = JSON.createObjectNode();
        metadata.set("usage", usage(reply));
        metadata.putObject("metrics").put("latencyMs", latencyMs);
        events.add(new StreamEvent("metadata", metadata));
        return events;
    }

    private static void textEvents(int index, String text, List<StreamEvent> events) {
        for (String piece : pieces(text)) {
            ObjectNode delta = indexed(index);
            delta.putObject("delta").put("text", piece);
            events.add(new StreamEvent("contentBlockDelta", delta));
        }
    }

    /** Deltas of ReasoningContentBlockDelta: its text a word at a time, then its signature. */
    private static void reasoningEvents(int index, Block block, List<StreamEvent> events) {
        for (String piece : pieces(block.text())) {
            ObjectNode delta = indexed(index);
            delta.putObject("delta").putObject("reasoningContent").put("text", piece);
            events.add(new StreamEvent("contentBlockDelta", delta));
        }
        ObjectNode signature = indexed(index);
        signature.putObject("delta").putObject("reasoningContent").put("signature", block.signature());
        events.add(new StreamEvent("contentBlockDelta", signature));
    }

    private static void toolEvents(int index, ToolCall call, List<StreamEvent> events) {
        ObjectNode start = indexed(index);
        start.putObject("start").putObject("toolUse")
                .put("toolUseId", call.id())
                .put("name", call.name());
        events.add(new StreamEvent("contentBlockStart", start));
        for (String fragment : fragments(call.input().toString())) {
            ObjectNode delta = indexed(index);
            delta.putObject("delta").putObject("toolUse").put("input", fragment);
            events.add(new StreamEvent("contentBlockDelta", delta));
        }
    }

    /** Splits into at least two fragments, as Bedrock streams tool input as partial JSON; never inside a surrogate. */
    static List<String> fragments(String json) {
        int size = Math.max(1, Math.min(TOOL_INPUT_FRAGMENT_CHARS, json.length() / 2));
        List<String> fragments = new ArrayList<>();
        int from = 0;
        while (from < json.length()) {
            int to = Math.min(json.length(), from + size);
            if (to < json.length() && Character.isLowSurrogate(json.charAt(to))) {
                to++;
            }
            fragments.add(json.substring(from, to));
            from = to;
        }
        return fragments;
    }

    private static ObjectNode indexed(int index) {
        return JSON.createObjectNode().put("contentBlockIndex", index);
    }

    private static ObjectNode usage(Reply reply) {
        return JSON.createObjectNode()
                .put("inputTokens", reply.inputTokens())
                .put("outputTokens", reply.outputTokens())
                .put("totalTokens", reply.inputTokens() + reply.outputTokens());
    }

    private static Reply textReply(String full, Limits limits, int inputTokens, Directives directives) {
        Generated text = generate(full, limits);
        List<Block> content = text.pieces().isEmpty() ? List.of() : List.of(Block.text(text.text()));
        String stopReason = text.stopReason() == null ? "end_turn" : text.stopReason();
        return new Reply(content, stopReason, inputTokens, text.pieces().size(), directives);
    }

    /** A tool call, optionally preceded by a text block; limits apply to that text and end the turn before the call. */
    private static Reply toolReply(String lead, JsonNode toolSpec, Limits limits, int inputTokens,
            Directives directives) {
        List<Block> content = new ArrayList<>();
        int outputTokens = 0;
        if (lead != null) {
            Generated text = generate(lead, limits);
            if (!text.pieces().isEmpty()) {
                content.add(Block.text(text.text()));
            }
            outputTokens = text.pieces().size();
            if (text.stopReason() != null) {
                return new Reply(content, text.stopReason(), inputTokens, outputTokens, directives);
            }
        }
        ToolCall call = new ToolCall(newToolUseId(), toolSpec.path("name").asText(),
                exampleInput(toolSpec.path("inputSchema").path("json")));
        content.add(Block.tool(call));
        outputTokens += words(call.input().toString());
        return new Reply(content, "tool_use", inputTokens, outputTokens, directives);
    }

    /**
     * What bounds a text: the request's token limit (null: none) and stop sequences, and the simulator's fixed reply
     * length (0: none).
     */
    record Limits(Integer maxTokens, List<String> stopSequences, int replyWords) {

        static Limits of(JsonNode inferenceConfig, int replyWords) {
            JsonNode maxTokens = inferenceConfig.path("maxTokens");
            List<String> stopSequences = new ArrayList<>();
            inferenceConfig.path("stopSequences").forEach(sequence -> stopSequences.add(sequence.asText("")));
            return new Limits(maxTokens.isInt() ? maxTokens.intValue() : null, stopSequences, replyWords);
        }
    }

    /**
     * Sizes the text to the fixed reply length if there is one, then applies stop sequences (cut before the earliest
     * one) and the token limit (whichever a model hits first).
     */
    static Generated generate(String reply, Limits limits) {
        String full = limits.replyWords() > 0 ? resized(reply, limits.replyWords()) : reply;
        String text = full;
        String stopReason = null;
        String stopSequence = null;
        int cut = -1;
        for (String stop : limits.stopSequences()) {
            int at = stop.isEmpty() ? -1 : full.indexOf(stop);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
                stopSequence = stop;
            }
        }
        if (cut >= 0) {
            text = full.substring(0, cut);
            stopReason = "stop_sequence";
        }
        List<String> pieces = pieces(text);
        if (limits.maxTokens() != null && pieces.size() > limits.maxTokens()) {
            pieces = pieces.subList(0, limits.maxTokens());
            stopReason = "max_tokens";
            stopSequence = null;
        }
        return new Generated(pieces, stopReason, stopSequence);
    }

    /** {@code text}'s words, repeated as often as needed, up to exactly {@code words} of them. */
    private static String resized(String text, int words) {
        List<String> own = pieces(text);
        if (own.isEmpty()) {
            return text;
        }
        StringBuilder resized = new StringBuilder();
        for (int i = 0; i < words; i++) {
            String piece = own.get(i % own.size());
            // A repeated first word needs the space before it that it lacked at the start.
            resized.append(i >= own.size() && i % own.size() == 0 ? " " + piece.strip() : piece);
        }
        return resized.toString();
    }

    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher matcher = PIECE.matcher(text);
        while (matcher.find()) {
            pieces.add(matcher.group());
        }
        return pieces;
    }

    /** {@code toolChoice} {@code tool} names the tool, {@code any} forces the first, otherwise the word "tool" asks. */
    private static JsonNode chosenTool(JsonNode toolConfig, String userText) {
        JsonNode choice = toolConfig.path("toolChoice");
        if (choice.has("tool")) {
            return Validation.toolSpec(toolConfig, choice.path("tool").path("name").asText());
        }
        if (choice.has("any") || asksForTool(userText)) {
            for (JsonNode tool : toolConfig.path("tools")) {
                if (tool.has("toolSpec")) {
                    return tool.get("toolSpec");
                }
            }
        }
        return null;
    }

    /** The required properties of the schema, each with a placeholder of its type (or its first enum value). */
    static ObjectNode exampleInput(JsonNode schema) {
        ObjectNode input = JSON.createObjectNode();
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            input.set(required.asText(), exampleValue(properties.path(required.asText())));
        }
        return input;
    }

    private static JsonNode exampleValue(JsonNode property) {
        JsonNode values = property.path("enum");
        if (values.isArray() && !values.isEmpty()) {
            return values.get(0);
        }
        JsonNodeFactory nodes = JSON.getNodeFactory();
        return switch (schemaType(property.path("type"))) {
            case "integer", "number" -> nodes.numberNode(1);
            case "boolean" -> nodes.booleanNode(true);
            case "object" -> nodes.objectNode();
            case "array" -> nodes.arrayNode();
            case "null" -> nodes.nullNode();
            default -> nodes.textNode("example");
        };
    }

    /** JSON Schema allows {@code "type": ["string", "null"]}; the first non-null type is the interesting one. */
    private static String schemaType(JsonNode type) {
        if (type.isArray()) {
            for (JsonNode option : type) {
                if (!"null".equals(option.asText())) {
                    return option.asText();
                }
            }
            return "null";
        }
        return type.asText("string");
    }

    /** Shaped like Bedrock's ids ({@code tooluse_} plus 22 URL-safe characters). */
    private static String newToolUseId() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return "tooluse_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static JsonNode lastUserMessage(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                return messages.get(i);
            }
        }
        throw new IllegalStateException("validated requests start with a user message");
    }

    private static String joinedText(JsonNode content) {
        List<String> texts = new ArrayList<>();
        for (JsonNode block : content) {
            if (block.has("text")) {
                texts.add(block.get("text").asText());
            }
        }
        return String.join(" ", texts);
    }

    /** The turn as the reply echoes it: its texts, and each document block described where it stands. */
    private static String echoedText(JsonNode content) {
        List<String> parts = new ArrayList<>();
        for (JsonNode block : content) {
            if (block.has("text")) {
                parts.add(block.get("text").asText());
            } else if (block.has("document")) {
                JsonNode document = block.get("document");
                parts.add("[document " + document.path("name").asText() + ": " + document.path("format").asText("?")
                        + ", " + Validation.documentBytes(document) + " bytes]");
            }
        }
        return String.join(" ", parts);
    }

    /** Per toolResult block, its content as text; JSON content is rendered as compact JSON. */
    private static List<String> toolResultTexts(JsonNode content) {
        List<String> results = new ArrayList<>();
        for (JsonNode block : content) {
            if (block.has("toolResult")) {
                results.add(toolResultText(block.get("toolResult")));
            }
        }
        return results;
    }

    private static String toolResultText(JsonNode toolResult) {
        List<String> parts = new ArrayList<>();
        for (JsonNode item : toolResult.path("content")) {
            if (item.has("text")) {
                parts.add(item.get("text").asText());
            } else if (item.has("json")) {
                parts.add(item.get("json").toString());
            }
        }
        return String.join(" ", parts);
    }

    private static int inputWords(JsonNode request) {
        int count = 0;
        for (JsonNode block : request.path("system")) {
            count += words(block.path("text").asText(""));
        }
        for (JsonNode message : request.path("messages")) {
            count += words(joinedText(message.path("content")));
            count += toolResultTexts(message.path("content")).stream().mapToInt(SimulatedModel::words).sum();
        }
        return count;
    }

    /**
     * The request checks Bedrock applies before a model sees the conversation, with Bedrock's wording so clients
     * that surface the message behave as against the real service.
     */
    private static final class Validation {

        /** ASCII letters and digits, hyphens, parentheses, square brackets; no two whitespace characters in a row. */
        private static final Pattern DOCUMENT_NAME = Pattern.compile("(?:[A-Za-z0-9()\\[\\]-]|\\s(?!\\s))+");
        private static final List<String> DOCUMENT_FORMATS = List.of("pdf", "csv", "doc", "docx", "xls", "xlsx",
                "html", "txt", "md");

        private Validation() {
        }

        static void validate(JsonNode request) {
            boolean toolBlocks = validateMessages(request.path("messages"));
            validateSystem(request.path("system"));
            validateInferenceConfig(request.path("inferenceConfig"));
            validateToolConfig(request.path("toolConfig"), toolBlocks);
        }

        /** Returns whether any toolUse or toolResult block occurs, which makes a toolConfig mandatory. */
        private static boolean validateMessages(JsonNode messages) {
            if (!messages.isArray()) {
                throw AwsError.validation(constraint("null", "messages", "Member must not be null"));
            }
            if (messages.isEmpty()) {
                throw AwsError.validation(
                        constraint("[]", "messages", "Member must have length greater than or equal to 1"));
            }
            boolean toolBlocks = false;
            String previousRole = null;
            Set<String> documentNames = new HashSet<>();
            for (int i = 0; i < messages.size(); i++) {
                String role = messages.get(i).path("role").asText("");
                validateRole(role, i, previousRole);
                previousRole = role;
                toolBlocks |= validateContent(messages.get(i).path("content"), "messages." + i, documentNames);
            }
            return toolBlocks;
        }

        private static void validateRole(String role, int index, String previousRole) {
            if (!role.equals("user") && !role.equals("assistant")) {
                throw AwsError.validation(constraint(role, "messages." + index + ".role",
                        "Member must satisfy enum value set: [user, assistant]"));
            }
            if (index == 0 && !role.equals("user")) {
                throw AwsError.validation("A conversation must start with a user message. "
                        + "Try again with a conversation that starts with a user message.");
            }
            if (role.equals(previousRole)) {
                throw AwsError.validation("A conversation must alternate between user and assistant roles. "
                        + "Make sure the conversation alternates between user and assistant roles and try again.");
            }
        }

        private static boolean validateContent(JsonNode content, String path, Set<String> documentNames) {
            if (!content.isArray() || content.isEmpty()) {
                throw AwsError.validation("The content field in the Message object at " + path
                        + " is empty. Add a ContentBlock object to the content field and try again.");
            }
            boolean toolBlocks = false;
            for (int j = 0; j < content.size(); j++) {
                JsonNode block = content.get(j);
                if (block.has("text") && block.get("text").asText("").isBlank()) {
                    throw AwsError.validation("The text field in the ContentBlock object at " + path + ".content." + j
                            + " is blank. Add text to the text field, and try again.");
                }
                if (block.has("document")) {
                    validateDocument(block.get("document"), path + ".content." + j + ".document", documentNames);
                }
                toolBlocks |= block.has("toolUse") || block.has("toolResult");
            }
            return toolBlocks;
        }

        /** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html */
        private static void validateDocument(JsonNode document, String path, Set<String> names) {
            JsonNode name = document.path("name");
            if (!name.isTextual()) {
                throw AwsError.validation(constraint("null", path + ".name", "Member must not be null"));
            }
            if (name.asText().isEmpty() || name.asText().length() > 200) {
                throw AwsError.validation(constraint(name, path + ".name",
                        "Member must have length between 1 and 200"));
            }
            if (!DOCUMENT_NAME.matcher(name.asText()).matches()) {
                throw AwsError.validation("The document file name can only contain alphanumeric characters, whitespace"
                        + " characters, hyphens, parentheses, and square brackets. The name can't contain more than one"
                        + " consecutive whitespace character. Check that the file name conforms to these restrictions"
                        + " and retry your request.");
            }
            if (!names.add(name.asText())) {
                throw AwsError.validation("Messages can't contain duplicate document names. Rename the document and"
                        + " retry your request.");
            }
            JsonNode format = document.path("format");
            if (present(format) && !DOCUMENT_FORMATS.contains(format.asText())) {
                throw AwsError.validation(constraint(format, path + ".format",
                        "Member must satisfy enum value set: " + DOCUMENT_FORMATS));
            }
            documentBytes(document);
        }

        /** The size of a document's {@code bytes} source (base64 in the JSON body); 0 for other sources. */
        static int documentBytes(JsonNode document) {
            JsonNode bytes = document.path("source").path("bytes");
            if (!bytes.isTextual()) {
                return 0;
            }
            try {
                return Base64.getDecoder().decode(bytes.asText()).length;
            } catch (IllegalArgumentException e) {
                throw AwsError.validation("Invalid Base64 in the document bytes.");
            }
        }

        private static void validateSystem(JsonNode system) {
            for (int i = 0; i < system.size(); i++) {
                JsonNode block = system.get(i);
                if (block.has("text") && block.get("text").asText("").isBlank()) {
                    throw AwsError.validation("The text field in the SystemContentBlock object at system." + i
                            + " is blank. Add text to the text field, and try again.");
                }
            }
        }

        private static void validateInferenceConfig(JsonNode config) {
            JsonNode maxTokens = config.path("maxTokens");
            if (present(maxTokens) && (!maxTokens.isInt() || maxTokens.intValue() < 1)) {
                throw AwsError.validation(constraint(maxTokens, "inferenceConfig.maxTokens",
                        "Member must have value greater than or equal to 1"));
            }
            validateUnitInterval(config.path("temperature"), "inferenceConfig.temperature");
            validateUnitInterval(config.path("topP"), "inferenceConfig.topP");
        }

        private static void validateUnitInterval(JsonNode value, String path) {
            if (present(value) && (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 1)) {
                throw AwsError.validation(constraint(value, path,
                        "Member must have value greater than or equal to 0 and less than or equal to 1"));
            }
        }

        private static void validateToolConfig(JsonNode toolConfig, boolean toolBlocks) {
            if (!present(toolConfig)) {
                if (toolBlocks) {
                    throw AwsError.validation(
                            "The toolConfig field must be defined when using toolUse and toolResult content blocks.");
                }
                return;
            }
            JsonNode tools = toolConfig.path("tools");
            if (!tools.isArray() || tools.isEmpty()) {
                throw AwsError.validation(constraint(tools, "toolConfig.tools",
                        "Member must have length greater than or equal to 1"));
            }
            for (int i = 0; i < tools.size(); i++) {
                JsonNode spec = tools.get(i).path("toolSpec");
                if (tools.get(i).has("toolSpec") && spec.path("name").asText("").isBlank()) {
                    throw AwsError.validation(constraint(spec.path("name"), "toolConfig.tools." + i + ".toolSpec.name",
                            "Member must not be null"));
                }
            }
            JsonNode forced = toolConfig.path("toolChoice").path("tool");
            if (present(forced) && toolSpec(toolConfig, forced.path("name").asText()) == null) {
                throw AwsError.validation("The tool " + forced.path("name").asText()
                        + " named in toolChoice isn't defined in toolConfig.tools.");
            }
        }

        static JsonNode toolSpec(JsonNode toolConfig, String name) {
            for (JsonNode tool : toolConfig.path("tools")) {
                if (name.equals(tool.path("toolSpec").path("name").asText())) {
                    return tool.get("toolSpec");
                }
            }
            return null;
        }

        private static boolean present(JsonNode node) {
            return !node.isMissingNode() && !node.isNull();
        }

        /** The wording of Bedrock's generic (Coral) constraint violations. */
        private static String constraint(Object value, String path, String rule) {
            String shown = value instanceof JsonNode node && node.isTextual() ? node.asText() : String.valueOf(value);
            return "1 validation error detected: Value '" + shown + "' at '" + path
                    + "' failed to satisfy constraint: " + rule;
        }
    }
}
