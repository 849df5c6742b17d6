package dev.bedrockgateway.translate.chat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.bedrockgateway.catalog.BedrockModelIds;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.openai.ThinkingBlock;
import dev.bedrockgateway.translate.Invalid;
import dev.bedrockgateway.translate.UnsupportedParams;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;

/**
 * Claude extended thinking both ways
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-extended-thinking.html): the budget a request
 * asks for, the thinking blocks a client sends back, and Bedrock's reasoning as LiteLLM's {@code thinking_blocks}.
 */
final class Reasoning {

    /** Anthropic's minimum thinking budget. */
    static final int MIN_BUDGET = 1024;

    private Reasoning() {
    }

    /**
     * {@code reasoning_effort} or the {@code thinking} extension -> the thinking budget, with LiteLLM's budgets for the
     * efforts: low 1024, medium 2048, high 4096 tokens, and twice and four times that for OpenAI's {@code xhigh} and
     * {@code max}; null when the model is not to reason.
     */
    static Integer budget(ChatCompletionRequest request, Deployment deployment, UnsupportedParams params) {
        JsonNode thinking = request.thinking();
        String effort = request.reasoningEffort();
        Integer budget;
        String param;
        if (thinking != null && !thinking.isNull()) {
            param = "thinking";
            if (!thinking.isObject()) {
                throw Invalid.type("thinking", "an object");
            }
            String type = thinking.path("type").asText("");
            if ("disabled".equals(type)) {
                return null;
            }
            if (!"enabled".equals(type)) {
                throw Invalid.value("thinking.type", "'" + type + "' is not one of 'enabled', 'disabled'");
            }
            JsonNode tokens = thinking.get("budget_tokens");
            if (tokens == null || !tokens.isIntegralNumber()) {
                throw Invalid.type("thinking.budget_tokens", "an integer");
            }
            budget = tokens.intValue();
            if (budget < MIN_BUDGET) {
                throw Invalid.value("thinking.budget_tokens", budget + " is less than the minimum of " + MIN_BUDGET);
            }
        } else if (effort != null) {
            param = "reasoning_effort";
            budget = switch (effort) {
                case "none" -> null;
                case "minimal", "low" -> MIN_BUDGET;
                case "medium" -> 2048;
                case "high" -> 4096;
                case "xhigh" -> 8192;
                case "max" -> 16384;
                default -> throw Invalid.value("reasoning_effort",
                        "'" + effort + "' is not one of 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'");
            };
        } else {
            return null;
        }
        if (budget != null && !BedrockModelIds.isAnthropicClaude(deployment.modelId())) {
            params.unsupported(param, "cannot be honoured for this model: extended thinking is mapped for"
                    + " Anthropic Claude models on Bedrock");
            return null;
        }
        return budget;
    }

    /**
     * Earlier reasoning, sent back as LiteLLM's {@code thinking_blocks}: Bedrock requires it, signature included,
     * in an assistant turn that made tool calls while thinking. A bare {@code reasoning_content} has no signature
     * and cannot be sent back; it is left out.
     */
    static List<ContentBlock> toReasoningBlocks(List<ThinkingBlock> thinking, String at) {
        List<ContentBlock> blocks = new ArrayList<>();
        if (thinking == null) {
            return blocks;
        }
        for (int k = 0; k < thinking.size(); k++) {
            ThinkingBlock block = thinking.get(k);
            String blockAt = at + "[" + k + "]";
            if (block != null && ThinkingBlock.REDACTED.equals(block.type()) && block.data() != null) {
                byte[] data;
                try {
                    data = Base64.getDecoder().decode(block.data());
                } catch (IllegalArgumentException e) {
                    throw OpenAiException.invalidRequest(blockAt + ".data", ErrorTypes.CODE_INVALID_VALUE,
                            "Redacted thinking data must be base64.");
                }
                blocks.add(ContentBlock.fromReasoningContent(
                        ReasoningContentBlock.fromRedactedContent(SdkBytes.fromByteArray(data))));
            } else if (block != null && ThinkingBlock.THINKING.equals(block.type()) && block.signature() != null) {
                blocks.add(ContentBlock.fromReasoningContent(ReasoningContentBlock.fromReasoningText(
                        ReasoningTextBlock.builder().text(block.thinking() == null ? "" : block.thinking())
                                .signature(block.signature()).build())));
            } else {
                throw OpenAiException.invalidRequest(blockAt, ErrorTypes.CODE_INVALID_VALUE,
                        "Thinking blocks must be {type: thinking, thinking, signature} or {type: redacted_thinking,"
                                + " data}.");
            }
        }
        return blocks;
    }

    /** A whole reasoning block of a Converse answer; null when it holds neither text nor redacted content. */
    static ThinkingBlock toThinkingBlock(ReasoningContentBlock block) {
        if (block.reasoningText() != null) {
            return thinking(block.reasoningText().text(), block.reasoningText().signature());
        }
        return block.redactedContent() == null ? null : redacted(block.redactedContent());
    }

    /**
     * The part of a streamed reasoning block that is not text: its signature (sent once the block's text is complete)
     * or its redacted content; null for text, which streams as {@code reasoning_content}.
     */
    static ThinkingBlock toThinkingBlock(ReasoningContentBlockDelta delta) {
        if (delta.signature() != null) {
            return thinking("", delta.signature());
        }
        return delta.redactedContent() == null ? null : redacted(delta.redactedContent());
    }

    private static ThinkingBlock thinking(String text, String signature) {
        return new ThinkingBlock(ThinkingBlock.THINKING, text == null ? "" : text, signature, null);
    }

    private static ThinkingBlock redacted(SdkBytes data) {
        return new ThinkingBlock(ThinkingBlock.REDACTED, null, null,
                Base64.getEncoder().encodeToString(data.asByteArrayUnsafe()));
    }
}
