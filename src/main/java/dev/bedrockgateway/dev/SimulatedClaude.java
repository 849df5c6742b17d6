package dev.bedrockgateway.dev;

import static dev.bedrockgateway.dev.BedrockSimulator.JSON;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.dev.SimulatedModel.Generated;
import dev.bedrockgateway.dev.SimulatedModel.Limits;
import dev.bedrockgateway.dev.SimulatedModel.ToolCall;

/**
 * The deterministic Claude behind the simulator's InvokeModel and InvokeModelWithResponseStream routes for Anthropic
 * model ids: Anthropic's Messages API in Bedrock's form
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html),
 * validated by {@link ClaudeValidation}. It answers as {@link SimulatedModel} answers Converse, so that both routes
 * tell the same story:
 * <ul>
 * <li>the reply is {@code Simulated reply from <modelId>: <last user text>} ({@code <modelId>} as in the request
 * path), or {@code Simulated reply from <modelId>: tool said <results>} when the last user turn holds tool_result
 * blocks (their texts joined by a space);</li>
 * <li>a tool call when {@code tool_choice} is {@code any} (the first tool) or {@code tool} (that one), or it is
 * {@code auto} or absent and the last user text has the word {@code tool}; never with {@code none}. With the word
 * {@code explain} too, the reply text comes first. The input holds the required properties of the tool's {@code
 * input_schema}, each with a placeholder of its type ("example", 1, true, {}, []) or its first enum value;</li>
 * <li>with {@code thinking} enabled or adaptive, a thinking block comes first: {@code Simulated thinking about: <last
 * user text>} (or {@code tool said <results>}), signed by {@link ThinkingSignatures};</li>
 * <li>a token is a whitespace-separated word. Input: the words of the system text blocks, of the messages' text
 * blocks and of their tool results, as {@link SimulatedModel} counts a Converse request (tool definitions, tool
 * calls, thinking, images and documents cost nothing). Output: the words of thinking and text, plus those of each
 * tool input's compact JSON. {@code max_tokens} bounds thinking and text together, {@code budget_tokens} thinking
 * alone; {@code stop_sequences} cut the text before the earliest one;</li>
 * <li>prompt caching as {@link PromptCache} describes: usage divides the input into {@code input_tokens},
 * {@code cache_creation_input_tokens} and {@code cache_read_input_tokens};</li>
 * <li>{@code simulate:} directives in the last user text ({@link Directives}).</li>
 * </ul>
 *
 * <p>Streams carry Anthropic's events: https://docs.claude.com/en/docs/build-with-claude/streaming
 */
final class SimulatedClaude {

    /** One content block of the answer: {@code type} thinking (text and signature), text (text) or tool_use. */
    record Block(String type, String text, String signature, ToolCall toolUse) {

        static Block thinking(String thinking) {
            return new Block("thinking", thinking, ThinkingSignatures.sign(thinking), null);
        }

        static Block text(String text) {
            return new Block("text", text, null, null);
        }

        static Block toolUse(ToolCall call) {
            return new Block("tool_use", null, null, call);
        }

        ObjectNode toJson() {
            ObjectNode block = JSON.createObjectNode().put("type", type);
            return switch (type) {
                case "thinking" -> block.put("thinking", text).put("signature", signature);
                case "text" -> block.put("text", text);
                default -> {
                    block.put("id", toolUse.id()).put("name", toolUse.name());
                    yield block.set("input", toolUse.input());
                }
            };
        }
    }

    /**
     * The model's answer, and how the simulator is asked to serve it.
     *
     * @param model        the foundation-model id, without profile prefix or ARN
     * @param stopSequence the stop sequence the text stopped at, when that is the reason
     * @param input        how the input tokens divide between uncached, cache writes and cache reads
     * @param caching      whether the request marked any cache breakpoint, which adds the ttl split to the usage
     */
    record Reply(String id, String model, List<Block> content, String stopReason, String stopSequence,
            PromptCache.Usage input, boolean caching, int outputTokens, Directives directives) {
    }

    /** A request's input tokens as CountTokens reports them, and its directives. */
    record Counted(int inputTokens, Directives directives) {
    }

    private static final String ID_CHARACTERS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789";

    private final int replyWords;
    private final PromptCache cache = new PromptCache();

    /**
     * @param replyWords when positive, every text reply has exactly this many words, as with {@link SimulatedModel}
     */
    SimulatedClaude(int replyWords) {
        this.replyWords = replyWords;
    }

    /** Validates an InvokeModel body like Bedrock does and produces the model's answer; remembers cached prefixes. */
    Reply respond(String modelId, JsonNode body) {
        ClaudeValidation.validate(modelId, body);
        LastTurn turn = lastUserTurn(body.path("messages"));
        Directives directives = Directives.parse(turn.text());
        List<PromptCache.Segment> segments = segments(body);
        String model = ModelIds.foundationModel(modelId);
        PromptCache.Usage input = cache.use(model, segments);
        boolean caching = segments.stream().anyMatch(segment -> segment.breakpointTtl() != null);
        return answer(modelId, model, body, turn, new Accounting(input, caching, directives));
    }

    /** The input tokens {@link #respond} would report for {@code body}, cached or not; touches no cache. */
    static Counted count(String modelId, JsonNode body) {
        ClaudeValidation.validate(modelId, body);
        Directives directives = Directives.parse(lastUserTurn(body.path("messages")).text());
        return new Counted(PromptCache.total(segments(body)), directives);
    }

    /** The InvokeModel response body. */
    static ObjectNode message(Reply reply) {
        ObjectNode message = head(reply);
        ArrayNode content = message.putArray("content");
        reply.content().forEach(block -> content.add(block.toJson()));
        message.put("stop_reason", reply.stopReason());
        message.put("stop_sequence", reply.stopSequence());
        message.set("usage", usage(reply, reply.outputTokens()));
        return message;
    }

    /**
     * The stream events of {@code reply}: message_start, per block content_block_start, its deltas (text and thinking
     * a word per delta, thinking's signature in one signature_delta, tool input as fragments of its JSON) and
     * content_block_stop, then message_delta and message_stop, which carries Bedrock's invocation metrics.
     *
     * @param firstByteLatency ms from the request to the first frame
     * @param gapMillis        between two deltas: the invocation latency reported is when the last one is due
     */
    static List<ObjectNode> streamEvents(Reply reply, long firstByteLatency, long gapMillis) {
        List<ObjectNode> events = new ArrayList<>();
        ObjectNode start = event("message_start");
        ObjectNode message = head(reply);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        // Anthropic counts the first output token as generated when the message starts.
        message.set("usage", usage(reply, 1));
        start.set("message", message);
        events.add(start);
        int deltas = 0;
        for (int index = 0; index < reply.content().size(); index++) {
            Block block = reply.content().get(index);
            ObjectNode blockStart = indexed("content_block_start", index);
            blockStart.set("content_block", emptied(block));
            events.add(blockStart);
            for (ObjectNode delta : deltas(block)) {
                ObjectNode event = indexed("content_block_delta", index);
                event.set("delta", delta);
                events.add(event);
                deltas++;
            }
            events.add(indexed("content_block_stop", index));
        }
        ObjectNode messageDelta = event("message_delta");
        messageDelta.putObject("delta").put("stop_reason", reply.stopReason()).put("stop_sequence", reply.stopSequence());
        messageDelta.putObject("usage").put("output_tokens", reply.outputTokens());
        events.add(messageDelta);
        ObjectNode stop = event("message_stop");
        stop.putObject("amazon-bedrock-invocationMetrics")
                .put("inputTokenCount", reply.input().uncached())
                .put("outputTokenCount", reply.outputTokens())
                .put("invocationLatency", firstByteLatency + gapMillis * Math.max(0, deltas - 1))
                .put("firstByteLatency", firstByteLatency)
                .put("cacheReadInputTokenCount", reply.input().read())
                .put("cacheWriteInputTokenCount", reply.input().written());
        events.add(stop);
        return events;
    }

    static boolean isDelta(JsonNode event) {
        return "content_block_delta".equals(event.path("type").asText());
    }

    /**
     * What a stream that never ends repeats after its last delta: the deltas of its last block (thinking's signature
     * aside, which comes once), the first with the space before it that it lacked at the start.
     */
    static List<ObjectNode> repeatedDeltas(List<ObjectNode> events) {
        List<ObjectNode> deltas = events.stream().filter(SimulatedClaude::isDelta).toList();
        if (deltas.isEmpty()) {
            return List.of();
        }
        int lastBlock = deltas.get(deltas.size() - 1).get("index").intValue();
        List<ObjectNode> repeated = new ArrayList<>();
        for (ObjectNode delta : deltas) {
            String type = delta.path("delta").path("type").asText();
            if (delta.get("index").intValue() == lastBlock && !type.equals("signature_delta")) {
                repeated.add(delta);
            }
        }
        if (!repeated.isEmpty()) {
            repeated.set(0, spaced(repeated.get(0)));
        }
        return repeated;
    }

    private static ObjectNode spaced(ObjectNode delta) {
        String field = switch (delta.path("delta").path("type").asText()) {
            case "text_delta" -> "text";
            case "thinking_delta" -> "thinking";
            default -> null;
        };
        if (field == null || delta.path("delta").path(field).asText().startsWith(" ")) {
            return delta;
        }
        ObjectNode copy = delta.deepCopy();
        ((ObjectNode) copy.get("delta")).put(field, " " + delta.path("delta").path(field).asText());
        return copy;
    }

    /** The text and tool results of the last user turn: what the model answers. */
    private record LastTurn(String text, List<String> toolResults) {
    }

    /** What the answer reports besides its content. */
    private record Accounting(PromptCache.Usage input, boolean caching, Directives directives) {
    }

    private Reply answer(String modelId, String model, JsonNode body, LastTurn turn, Accounting accounting) {
        int maxTokens = body.get("max_tokens").intValue();
        String subject = turn.toolResults().isEmpty()
                ? turn.text() : "tool said " + String.join(" ", turn.toolResults());
        List<Block> content = new ArrayList<>();
        int output = 0;
        ClaudeValidation.Thinking thinking = ClaudeValidation.thinking(body);
        if (thinking.on()) {
            int budget = thinking.budget() == null ? maxTokens : Math.min(thinking.budget(), maxTokens);
            Generated thought =
                    SimulatedModel.generate(SimulatedModel.thinking(subject), new Limits(budget, List.of(), 0));
            content.add(Block.thinking(String.join("", thought.pieces())));
            output = thought.pieces().size();
            if (output >= maxTokens) {
                return reply(model, content, "max_tokens", null, output, accounting);
            }
        }
        List<String> stops = new ArrayList<>();
        body.path("stop_sequences").forEach(stop -> stops.add(stop.asText()));
        Limits limits = new Limits(maxTokens - output, stops, replyWords);
        String prefix = SimulatedModel.replyPrefix(modelId);
        JsonNode tool = turn.toolResults().isEmpty() ? chosenTool(body, turn.text()) : null;
        if (tool == null || SimulatedModel.asksToExplain(turn.text())) {
            Generated text = SimulatedModel.generate(prefix + subject, limits);
            if (!text.pieces().isEmpty()) {
                content.add(Block.text(String.join("", text.pieces())));
            }
            output += text.pieces().size();
            if (tool == null || text.stopReason() != null) {
                String stopReason = text.stopReason() == null ? "end_turn" : text.stopReason();
                return reply(model, content, stopReason, text.stopSequence(), output, accounting);
            }
        }
        ToolCall call = new ToolCall(newId("toolu_bdrk_"), tool.path("name").asText(),
                SimulatedModel.exampleInput(tool.path("input_schema")));
        content.add(Block.toolUse(call));
        output += SimulatedModel.words(call.input().toString());
        return reply(model, content, "tool_use", null, output, accounting);
    }

    private static Reply reply(String model, List<Block> content, String stopReason, String stopSequence, int output,
            Accounting accounting) {
        return new Reply(newId("msg_bdrk_"), model, List.copyOf(content), stopReason, stopSequence,
                accounting.input(), accounting.caching(), output, accounting.directives());
    }

    /** {@code tool_choice} {@code tool} names the tool, {@code any} forces the first, {@code auto} lets "tool" ask. */
    private static JsonNode chosenTool(JsonNode body, String userText) {
        JsonNode tools = body.path("tools");
        String choice = body.path("tool_choice").path("type").asText("auto");
        if (tools.isEmpty() || choice.equals("none")) {
            return null;
        }
        if (choice.equals("tool")) {
            String name = body.path("tool_choice").path("name").asText();
            for (JsonNode tool : tools) {
                if (name.equals(tool.path("name").asText())) {
                    return tool;
                }
            }
        }
        return choice.equals("any") || SimulatedModel.asksForTool(userText) ? tools.get(0) : null;
    }

    private static LastTurn lastUserTurn(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                List<String> toolResults = new ArrayList<>();
                for (JsonNode block : message.path("content")) {
                    if ("tool_result".equals(block.path("type").asText())) {
                        toolResults.add(toolResultText(block));
                    }
                }
                return new LastTurn(text(message.path("content")), toolResults);
            }
        }
        return new LastTurn("", List.of());
    }

    /** The text of a message's (or tool result's) content: the string, or its text blocks joined by a space. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asText())) {
                texts.add(block.path("text").asText());
            }
        }
        return String.join(" ", texts);
    }

    private static String toolResultText(JsonNode toolResult) {
        return text(toolResult.path("content"));
    }

    /** The prompt in cache order (tools, system, messages), block by block, with tokens and breakpoints. */
    static List<PromptCache.Segment> segments(JsonNode body) {
        List<PromptCache.Segment> segments = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            segments.add(new PromptCache.Segment("tool " + identity(tool), 0, ttl(tool)));
        }
        JsonNode system = body.path("system");
        if (system.isTextual()) {
            segments.add(new PromptCache.Segment("system " + system, SimulatedModel.words(system.asText()), null));
        }
        for (JsonNode block : system.isArray() ? system : JSON.createArrayNode()) {
            segments.add(new PromptCache.Segment("system " + identity(block),
                    SimulatedModel.words(block.path("text").asText()), ttl(block)));
        }
        JsonNode messages = body.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            String turn = "message " + i + " " + messages.get(i).path("role").asText() + " ";
            JsonNode content = messages.get(i).path("content");
            if (content.isTextual()) {
                segments.add(new PromptCache.Segment(turn + content, SimulatedModel.words(content.asText()), null));
            }
            for (JsonNode block : content.isArray() ? content : JSON.createArrayNode()) {
                segments.add(new PromptCache.Segment(turn + identity(block), tokens(block), ttl(block)));
            }
        }
        return segments;
    }

    private static int tokens(JsonNode block) {
        return switch (block.path("type").asText()) {
            case "text" -> SimulatedModel.words(block.path("text").asText());
            case "tool_result" -> SimulatedModel.words(toolResultText(block));
            default -> 0;
        };
    }

    /** The block without its breakpoints, so that moving a breakpoint does not change the prefix it ends. */
    private static String identity(JsonNode block) {
        if (!block.isObject()) {
            return block.toString();
        }
        ObjectNode copy = block.deepCopy();
        copy.remove("cache_control");
        for (JsonNode inner : copy.path("content")) {
            if (inner.isObject()) {
                ((ObjectNode) inner).remove("cache_control");
            }
        }
        return copy.toString();
    }

    /** The ttl of the breakpoint the block carries, its own or (for a tool result) that of its last inner block. */
    private static String ttl(JsonNode block) {
        String ttl = null;
        for (JsonNode inner : block.path("content")) {
            ttl = inner.has("cache_control") ? inner.path("cache_control").path("ttl").asText("5m") : ttl;
        }
        return block.has("cache_control") ? block.path("cache_control").path("ttl").asText("5m") : ttl;
    }

    private static ObjectNode head(Reply reply) {
        return JSON.createObjectNode().put("id", reply.id()).put("type", "message").put("role", "assistant")
                .put("model", reply.model());
    }

    private static ObjectNode usage(Reply reply, int outputTokens) {
        PromptCache.Usage input = reply.input();
        ObjectNode usage = JSON.createObjectNode()
                .put("input_tokens", input.uncached())
                .put("cache_creation_input_tokens", input.written())
                .put("cache_read_input_tokens", input.read());
        if (reply.caching()) {
            usage.putObject("cache_creation")
                    .put("ephemeral_5m_input_tokens", input.written5m())
                    .put("ephemeral_1h_input_tokens", input.written1h());
        }
        return usage.put("output_tokens", outputTokens);
    }

    /** The block as content_block_start announces it: its kind and identity, its content still to come. */
    private static ObjectNode emptied(Block block) {
        ObjectNode start = JSON.createObjectNode().put("type", block.type());
        return switch (block.type()) {
            case "thinking" -> start.put("thinking", "").put("signature", "");
            case "text" -> start.put("text", "");
            default -> {
                start.put("id", block.toolUse().id()).put("name", block.toolUse().name());
                yield start.set("input", JSON.createObjectNode());
            }
        };
    }

    private static List<ObjectNode> deltas(Block block) {
        List<ObjectNode> deltas = new ArrayList<>();
        switch (block.type()) {
            case "thinking" -> {
                SimulatedModel.pieces(block.text()).forEach(piece ->
                        deltas.add(JSON.createObjectNode().put("type", "thinking_delta").put("thinking", piece)));
                deltas.add(JSON.createObjectNode().put("type", "signature_delta").put("signature", block.signature()));
            }
            case "text" -> SimulatedModel.pieces(block.text()).forEach(piece ->
                    deltas.add(JSON.createObjectNode().put("type", "text_delta").put("text", piece)));
            default -> SimulatedModel.fragments(block.toolUse().input().toString()).forEach(fragment ->
                    deltas.add(JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", fragment)));
        }
        return deltas;
    }

    private static ObjectNode event(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static ObjectNode indexed(String type, int index) {
        return event(type).put("index", index);
    }

    /** Shaped like Bedrock's: the prefix, then 01 and 22 base58 characters. */
    private static String newId(String prefix) {
        StringBuilder id = new StringBuilder(prefix).append("01");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 22; i++) {
            id.append(ID_CHARACTERS.charAt(random.nextInt(ID_CHARACTERS.length())));
        }
        return id.toString();
    }
}
