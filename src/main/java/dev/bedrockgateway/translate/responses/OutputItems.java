package dev.bedrockgateway.translate.responses;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.openai.ThinkingBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * The output items of a response (components/schemas/OutputItem), the same whether the answer streams or not:
 * {@code reasoning} (Claude's thinking as summary or reasoning text, sealed whole into {@code encrypted_content}),
 * {@code message} with one {@code output_text} part, {@code function_call}.
 */
final class OutputItems {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OutputItems() {
    }

    /**
     * @param blocks the thinking blocks with their signatures; none when the model gave text without a signature
     */
    static ObjectNode reasoning(String id, String text, List<ThinkingBlock> blocks, boolean summaries,
            ReasoningSeal seal) {
        ObjectNode item = NODES.objectNode().put("id", id).put("type", "reasoning");
        if (summaries) {
            if (text.isEmpty()) {
                item.putArray("summary");
            } else {
                item.putArray("summary").add(summaryPart(text));
            }
        } else {
            item.putArray("summary");
            item.putArray("content").addObject().put("type", "reasoning_text").put("text", text);
        }
        if (blocks.isEmpty()) {
            item.putNull("encrypted_content");
        } else {
            item.put("encrypted_content", seal.seal(blocks));
        }
        return item.put("status", "completed");
    }

    static ObjectNode summaryPart(String text) {
        return NODES.objectNode().put("type", "summary_text").put("text", text);
    }

    static ObjectNode message(String id, String status) {
        ObjectNode item = NODES.objectNode().put("id", id).put("type", "message").put("status", status)
                .put("role", "assistant");
        item.putArray("content");
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = NODES.objectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    /** @param name the tool's name at Bedrock: a namespaced tool's is split back into its namespace and name */
    static ObjectNode functionCall(String id, String status, String callId, String name, String arguments,
            Map<String, String[]> namespaced) {
        ObjectNode item = NODES.objectNode().put("id", id).put("type", "function_call").put("status", status);
        String[] inNamespace = namespaced.get(name);
        item.put("call_id", callId);
        if (inNamespace != null) {
            item.put("namespace", inNamespace[0]);
            item.put("name", inNamespace[1]);
        } else {
            item.put("name", name);
        }
        return item.put("arguments", arguments);
    }

    /**
     * Bedrock's token counts as OpenAI's: {@code input_tokens} is the whole prompt, of which the prompt cache gave
     * {@code cached_tokens} and took {@code cache_write_tokens} (Bedrock counts those apart from its
     * {@code inputTokens}). Bedrock reports no reasoning tokens apart: they are in {@code output_tokens}, and the detail
     * says 0.
     */
    static ObjectNode usage(TokenUsage usage) {
        int cacheRead = orZero(usage == null ? null : usage.cacheReadInputTokens());
        int cacheWrite = orZero(usage == null ? null : usage.cacheWriteInputTokens());
        int input = orZero(usage == null ? null : usage.inputTokens()) + cacheRead + cacheWrite;
        int output = orZero(usage == null ? null : usage.outputTokens());
        ObjectNode out = NODES.objectNode().put("input_tokens", input);
        out.putObject("input_tokens_details").put("cached_tokens", cacheRead).put("cache_write_tokens", cacheWrite);
        out.put("output_tokens", output);
        out.putObject("output_tokens_details").put("reasoning_tokens", 0);
        return out.put("total_tokens", input + output);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
