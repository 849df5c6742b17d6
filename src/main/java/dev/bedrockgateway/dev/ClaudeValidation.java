package dev.bedrockgateway.dev;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.bedrockgateway.dev.BedrockSimulator.AwsError;

/**
 * The checks Bedrock applies to an Anthropic Messages API body (InvokeModel, its stream and CountTokens) before the
 * model sees it, each refusal a 400 ValidationException whose message names the field, in Anthropic's wording where
 * it is known. Body reference:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
 *
 * <p>What a model takes beyond the common fields (beta flags, thinking, context management, effort) comes from
 * {@link ClaudeModels}.
 */
final class ClaudeValidation {

    /** The one {@code anthropic_version} Bedrock takes for the Messages API. */
    static final String VERSION = "bedrock-2023-05-31";

    private static final Set<String> FIELDS = Set.of("anthropic_version", "anthropic_beta", "max_tokens", "system",
            "messages", "temperature", "top_p", "top_k", "stop_sequences", "tools", "tool_choice");
    private static final List<String> BLOCK_TYPES =
            List.of("text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking");
    private static final List<String> TOOL_CHOICES = List.of("auto", "any", "tool", "none");
    private static final Pattern TOOL_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,128}$");
    private static final int MAX_CACHE_BREAKPOINTS = 4;
    private static final int MIN_THINKING_BUDGET = 1024;
    private static final String THINKING_DOCS = "https://docs.claude.com/en/docs/build-with-claude/extended-thinking";

    /** The request's thinking: {@code budget} is null when there is none (adaptive, or thinking off). */
    record Thinking(boolean on, Integer budget) {
        static final Thinking OFF = new Thinking(false, null);
    }

    private ClaudeValidation() {
    }

    /** Throws the ValidationException Bedrock would answer {@code body} with, sent to {@code modelId}. */
    static void validate(String modelId, JsonNode body) {
        if (!body.isObject()) {
            throw refuse("Malformed input request: the body must be a JSON object");
        }
        Set<String> betas = betas(modelId, body.path("anthropic_beta"));
        fields(modelId, body, betas);
        version(body.path("anthropic_version"));
        int maxTokens = maxTokens(body.path("max_tokens"));
        Thinking thinking = thinking(modelId, body.path("thinking"), maxTokens, betas);
        sampling(body, thinking);
        system(body.path("system"));
        boolean toolBlocks = messages(body.path("messages"), thinking);
        tools(body.path("tools"), body.path("tool_choice"), toolBlocks, thinking);
        int breakpoints = cacheBreakpoints(body);
        if (breakpoints > MAX_CACHE_BREAKPOINTS) {
            throw refuse("A maximum of " + MAX_CACHE_BREAKPOINTS + " blocks with cache_control may be provided. Found "
                    + breakpoints + ".");
        }
    }

    /** The thinking of a validated body. */
    static Thinking thinking(JsonNode body) {
        JsonNode thinking = body.path("thinking");
        return switch (thinking.path("type").asText("")) {
            case "enabled" -> new Thinking(true, thinking.get("budget_tokens").intValue());
            case "adaptive" -> new Thinking(true, null);
            default -> Thinking.OFF;
        };
    }

    /**
     * The checks above that concern a Converse request to a Claude model, whose thinking they return. Bedrock turns
     * such a request into a Messages API body: {@code additionalModelRequestFields} become top-level fields ({@code
     * thinking}, {@code anthropic_beta}), {@code inferenceConfig.maxTokens} {@code max_tokens}, reasoningContent
     * blocks thinking blocks, so the model refuses it with the same words
     * (https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-extended-thinking.html). Without {@code
     * maxTokens} Bedrock supplies the model's default, which the budget is not checked against here. Beta flags are
     * only read (for interleaved thinking), not checked: the simulator's Converse route never refused them.
     */
    static Thinking converse(String modelId, JsonNode request) {
        JsonNode fields = request.path("additionalModelRequestFields");
        Thinking thinking = Thinking.OFF;
        if (present(fields.path("thinking"))) {
            if (!ClaudeModels.thinks(modelId)) {
                throw refuse("thinking: Extra inputs are not permitted");
            }
            Set<String> betas = new HashSet<>();
            fields.path("anthropic_beta").forEach(flag -> betas.add(flag.asText()));
            JsonNode maxTokens = request.path("inferenceConfig").path("maxTokens");
            thinking = thinking(modelId, fields.path("thinking"),
                    maxTokens.isInt() ? maxTokens.intValue() : Integer.MAX_VALUE, betas);
        }
        temperatureWhileThinking(request.path("inferenceConfig").path("temperature"), thinking);
        JsonNode choice = request.path("toolConfig").path("toolChoice");
        forcedToolWhileThinking(choice.has("any") || choice.has("tool"), thinking);
        converseMessages(request.path("messages"), thinking);
        return thinking;
    }

    /** Signed reasoning everywhere; with thinking on, reasoning first in the last assistant turn that calls tools. */
    private static void converseMessages(JsonNode messages, Thinking thinking) {
        int lastAssistant = -1;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode content = messages.get(i).path("content");
            for (int j = 0; j < content.size(); j++) {
                JsonNode text = content.get(j).path("reasoningContent").path("reasoningText");
                if (present(text)) {
                    signed(text.path("text").asText(""), text.path("signature"), "messages." + i + ".content." + j);
                }
            }
            if ("assistant".equals(messages.get(i).path("role").asText())) {
                lastAssistant = i;
            }
        }
        if (thinking.on() && lastAssistant >= 0) {
            List<String> types = new ArrayList<>();
            for (JsonNode block : messages.get(lastAssistant).path("content")) {
                String type = messagesType(block);
                if (type != null) {
                    types.add(type);
                }
            }
            thinkingFirst(types, "messages." + lastAssistant);
        }
    }

    /** The Messages API type of a Converse content block; null for a cachePoint, which marks the block before it. */
    private static String messagesType(JsonNode block) {
        if (block.has("cachePoint")) {
            return null;
        }
        if (block.has("reasoningContent")) {
            return block.get("reasoningContent").has("redactedContent") ? "redacted_thinking" : "thinking";
        }
        if (block.has("toolUse")) {
            return "tool_use";
        }
        if (block.has("toolResult")) {
            return "tool_result";
        }
        Iterator<String> names = block.fieldNames();
        return names.hasNext() ? names.next() : "";
    }

    private static Set<String> betas(String modelId, JsonNode betas) {
        Set<String> flags = new HashSet<>();
        if (!present(betas)) {
            return flags;
        }
        if (!betas.isArray()) {
            throw refuse("anthropic_beta: Input should be a valid list");
        }
        for (int i = 0; i < betas.size(); i++) {
            if (!betas.get(i).isTextual()) {
                throw refuse("anthropic_beta." + i + ": Input should be a valid string");
            }
            String flag = betas.get(i).asText();
            // Bedrock's own text is just "invalid beta flag"; the flag is named so that a test failure says which.
            if (!ClaudeModels.takesBeta(modelId, flag)) {
                throw refuse("invalid beta flag: " + flag);
            }
            flags.add(flag);
        }
        return flags;
    }

    private static void fields(String modelId, JsonNode body, Set<String> betas) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            boolean allowed = FIELDS.contains(name)
                    || name.equals("thinking") && ClaudeModels.thinks(modelId)
                    || betas.contains(ClaudeModels.BETA_FIELDS.getOrDefault(name, ""));
            if (!allowed) {
                throw refuse(name + ": Extra inputs are not permitted");
            }
        }
    }

    private static void version(JsonNode version) {
        if (!present(version)) {
            throw refuse("anthropic_version: Field required");
        }
        if (!VERSION.equals(version.asText(null)) || !version.isTextual()) {
            throw refuse("Invalid API version: " + version.asText() + " (anthropic_version must be " + VERSION + ")");
        }
    }

    private static int maxTokens(JsonNode maxTokens) {
        if (!present(maxTokens)) {
            throw refuse("max_tokens: Field required");
        }
        if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt()) {
            throw refuse("max_tokens: Input should be a valid integer");
        }
        if (maxTokens.intValue() < 1) {
            throw refuse("max_tokens: Input should be greater than or equal to 1");
        }
        return maxTokens.intValue();
    }

    private static Thinking thinking(String modelId, JsonNode thinking, int maxTokens, Set<String> betas) {
        if (!present(thinking)) {
            return Thinking.OFF;
        }
        if (!thinking.isObject()) {
            throw refuse("thinking: Input should be a valid dictionary or object");
        }
        String type = thinking.path("type").asText("");
        switch (type) {
            case "disabled":
                return Thinking.OFF;
            case "adaptive":
                if (!ClaudeModels.thinksAdaptively(modelId)) {
                    throw refuse("thinking.type: adaptive thinking is not supported by " + modelId
                            + "; use {\"type\": \"enabled\", \"budget_tokens\": N}");
                }
                return new Thinking(true, null);
            case "enabled":
                JsonNode budget = thinking.path("budget_tokens");
                if (!present(budget)) {
                    throw refuse("thinking.enabled.budget_tokens: Field required");
                }
                if (!budget.isIntegralNumber() || !budget.canConvertToInt()) {
                    throw refuse("thinking.enabled.budget_tokens: Input should be a valid integer");
                }
                if (budget.intValue() < MIN_THINKING_BUDGET) {
                    throw refuse("thinking.enabled.budget_tokens: Input should be greater than or equal to "
                            + MIN_THINKING_BUDGET);
                }
                if (budget.intValue() >= maxTokens && !betas.contains(ClaudeModels.INTERLEAVED_THINKING)) {
                    throw refuse("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our "
                            + "documentation at " + THINKING_DOCS + "#max-tokens-and-context-window-size");
                }
                return new Thinking(true, budget.intValue());
            default:
                String tags = ClaudeModels.thinksAdaptively(modelId)
                        ? "'enabled', 'disabled', 'adaptive'" : "'enabled', 'disabled'";
                throw refuse("thinking: Input tag '" + type + "' found using 'type' does not match any of the "
                        + "expected tags: " + tags);
        }
    }

    private static void sampling(JsonNode body, Thinking thinking) {
        unitInterval(body.path("temperature"), "temperature");
        unitInterval(body.path("top_p"), "top_p");
        JsonNode topK = body.path("top_k");
        if (present(topK) && (!topK.isIntegralNumber() || topK.asLong() < 0)) {
            throw refuse("top_k: Input should be a non-negative integer");
        }
        temperatureWhileThinking(body.path("temperature"), thinking);
        JsonNode stops = body.path("stop_sequences");
        if (present(stops)) {
            if (!stops.isArray()) {
                throw refuse("stop_sequences: Input should be a valid list");
            }
            for (int i = 0; i < stops.size(); i++) {
                if (!stops.get(i).isTextual()) {
                    throw refuse("stop_sequences." + i + ": Input should be a valid string");
                }
            }
        }
    }

    private static void temperatureWhileThinking(JsonNode temperature, Thinking thinking) {
        if (thinking.on() && present(temperature) && temperature.doubleValue() != 1.0) {
            throw refuse("`temperature` may only be set to 1 when thinking is enabled. Please consult our "
                    + "documentation at " + THINKING_DOCS + "#feature-compatibility");
        }
    }

    private static void unitInterval(JsonNode value, String field) {
        if (!present(value)) {
            return;
        }
        if (!value.isNumber()) {
            throw refuse(field + ": Input should be a valid number");
        }
        if (value.doubleValue() < 0) {
            throw refuse(field + ": Input should be greater than or equal to 0");
        }
        if (value.doubleValue() > 1) {
            throw refuse(field + ": Input should be less than or equal to 1");
        }
    }

    private static void system(JsonNode system) {
        if (!present(system) || system.isTextual()) {
            return;
        }
        if (!system.isArray()) {
            throw refuse("system: Input should be a valid string or a list of text blocks");
        }
        for (int i = 0; i < system.size(); i++) {
            String path = "system." + i;
            JsonNode block = system.get(i);
            if (!"text".equals(block.path("type").asText(null))) {
                throw refuse(path + ".type: Input should be 'text'");
            }
            text(block, path);
            cacheControl(block, path);
        }
    }

    /** Returns whether any tool_use or tool_result block occurs, which makes {@code tools} mandatory. */
    private static boolean messages(JsonNode messages, Thinking thinking) {
        if (!present(messages)) {
            throw refuse("messages: Field required");
        }
        if (!messages.isArray()) {
            throw refuse("messages: Input should be a valid list");
        }
        if (messages.isEmpty()) {
            throw refuse("messages: List should have at least 1 item after validation, not 0");
        }
        boolean toolBlocks = false;
        int lastAssistant = -1;
        for (int i = 0; i < messages.size(); i++) {
            String path = "messages." + i;
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw refuse(path + ": Input should be a valid dictionary or object");
            }
            for (Iterator<String> names = message.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("role") && !name.equals("content")) {
                    throw refuse(path + "." + name + ": Extra inputs are not permitted");
                }
            }
            // Bedrock's InvokeModel has no system role: the system prompt is the top-level field.
            String role = message.path("role").asText("");
            if (!message.has("role")) {
                throw refuse(path + ".role: Field required");
            }
            if (!role.equals("user") && !role.equals("assistant")) {
                throw refuse(path + ".role: Input should be 'user' or 'assistant'");
            }
            if (role.equals("assistant")) {
                lastAssistant = i;
            }
            toolBlocks |= content(message.path("content"), path, i == messages.size() - 1 && role.equals("assistant"));
        }
        if (thinking.on() && lastAssistant >= 0) {
            List<String> types = new ArrayList<>();
            messages.get(lastAssistant).path("content").forEach(block -> types.add(block.path("type").asText()));
            thinkingFirst(types, "messages." + lastAssistant);
        }
        return toolBlocks;
    }

    private static boolean content(JsonNode content, String path, boolean finalAssistant) {
        if (!present(content)) {
            throw refuse(path + ".content: Field required");
        }
        if (content.isTextual()) {
            // The final assistant message may be an empty prefill; any other text must say something.
            if (!finalAssistant || !content.asText().isEmpty()) {
                nonBlank(content.asText(), path + ".content");
            }
            return false;
        }
        if (!content.isArray()) {
            throw refuse(path + ".content: Input should be a valid string or a list of content blocks");
        }
        if (content.isEmpty() && !finalAssistant) {
            throw refuse(path + ": all messages must have non-empty content except for the optional final "
                    + "assistant message");
        }
        boolean toolBlocks = false;
        for (int j = 0; j < content.size(); j++) {
            toolBlocks |= block(content.get(j), path + ".content." + j);
        }
        return toolBlocks;
    }

    /** Returns whether the block is a tool_use or tool_result. */
    private static boolean block(JsonNode block, String path) {
        if (!block.isObject()) {
            throw refuse(path + ": Input should be a valid dictionary or object");
        }
        if (!block.has("type")) {
            throw refuse(path + ".type: Field required");
        }
        String type = block.path("type").asText("");
        if (!BLOCK_TYPES.contains(type)) {
            throw refuse(path + ".type: Input tag '" + type + "' found using 'type' does not match any of the "
                    + "expected tags: '" + String.join("', '", BLOCK_TYPES) + "'");
        }
        cacheControl(block, path);
        switch (type) {
            case "text" -> text(block, path);
            case "image", "document" -> required(block, "source", path);
            case "tool_use" -> {
                required(block, "id", path);
                required(block, "name", path);
                if (!block.path("input").isObject()) {
                    throw refuse(path + ".input: Input should be a valid dictionary");
                }
            }
            case "tool_result" -> toolResult(block, path);
            case "thinking" -> signedThinking(block, path);
            default -> required(block, "data", path);
        }
        return type.equals("tool_use") || type.equals("tool_result");
    }

    private static void toolResult(JsonNode block, String path) {
        required(block, "tool_use_id", path);
        JsonNode content = block.path("content");
        if (!present(content) || content.isTextual()) {
            return;
        }
        if (!content.isArray()) {
            throw refuse(path + ".content: Input should be a valid string or a list of content blocks");
        }
        for (int k = 0; k < content.size(); k++) {
            String inner = path + ".content." + k;
            JsonNode item = content.get(k);
            if ("text".equals(item.path("type").asText(null))) {
                text(item, inner);
            }
            cacheControl(item, inner);
        }
    }

    /** Refuses a thinking block the simulator did not write, as Bedrock refuses one Claude did not. */
    private static void signedThinking(JsonNode block, String path) {
        required(block, "thinking", path);
        signed(block.path("thinking").asText(), block.path("signature"), path);
    }

    private static void signed(String thinking, JsonNode signature, String path) {
        if (!signature.isTextual() || signature.asText().isEmpty()) {
            throw refuse(path + ".thinking.signature: Field required");
        }
        if (!ThinkingSignatures.verify(thinking, signature.asText())) {
            throw refuse(path + ": Invalid `signature` in `thinking` block");
        }
    }

    /**
     * With thinking on, the final assistant message of a tool loop must start with its thinking, as the model wrote
     * it: https://docs.claude.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks
     *
     * @param types the Messages API types of the message's content blocks, in order
     */
    private static void thinkingFirst(List<String> types, String path) {
        if (types.isEmpty() || !types.contains("tool_use")) {
            return;
        }
        String first = types.get(0);
        if (!first.equals("thinking") && !first.equals("redacted_thinking")) {
            throw refuse(path + ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `" + first
                    + "`. When `thinking` is enabled, a final `assistant` message must start with a thinking block "
                    + "(preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include "
                    + "thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please "
                    + "consult our documentation at " + THINKING_DOCS);
        }
    }

    private static void tools(JsonNode tools, JsonNode choice, boolean toolBlocks, Thinking thinking) {
        if (!present(tools)) {
            if (toolBlocks) {
                throw refuse("Requests which include `tool_use` or `tool_result` blocks must define tools.");
            }
            if (present(choice)) {
                throw refuse("tool_choice: tool_choice may only be specified while providing tools");
            }
            return;
        }
        if (!tools.isArray()) {
            throw refuse("tools: Input should be a valid list");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asText("custom");
            String path = "tools." + i + "." + type;
            if (!tool.isObject()) {
                throw refuse("tools." + i + ": Input should be a valid dictionary or object");
            }
            required(tool, "name", path);
            String name = tool.path("name").asText();
            if (type.equals("custom")) {
                if (!TOOL_NAME.matcher(name).matches()) {
                    throw refuse(path + ".name: String should match pattern '" + TOOL_NAME.pattern() + "'");
                }
                if (!tool.path("input_schema").isObject()) {
                    throw refuse(path + ".input_schema: Field required");
                }
            }
            cacheControl(tool, "tools." + i);
            if (!names.add(name)) {
                throw refuse("tools: Tool names must be unique.");
            }
        }
        toolChoice(choice, names, thinking);
    }

    private static void toolChoice(JsonNode choice, Set<String> names, Thinking thinking) {
        if (!present(choice)) {
            return;
        }
        String type = choice.path("type").asText("");
        if (!TOOL_CHOICES.contains(type)) {
            throw refuse("tool_choice: Input tag '" + type + "' found using 'type' does not match any of the "
                    + "expected tags: '" + String.join("', '", TOOL_CHOICES) + "'");
        }
        if (type.equals("tool")) {
            required(choice, "name", "tool_choice.tool");
            if (!names.contains(choice.path("name").asText())) {
                throw refuse("tool_choice.tool.name: Tool '" + choice.path("name").asText()
                        + "' not found in provided tools");
            }
        }
        forcedToolWhileThinking(type.equals("any") || type.equals("tool"), thinking);
    }

    private static void forcedToolWhileThinking(boolean forced, Thinking thinking) {
        if (thinking.on() && forced) {
            throw refuse("Thinking may not be enabled when tool_choice forces tool use.");
        }
    }

    private static void text(JsonNode block, String path) {
        JsonNode text = block.path("text");
        if (!text.isTextual()) {
            throw refuse(path + ".text: Field required");
        }
        nonBlank(text.asText(), path + ".text");
    }

    /** Bedrock refuses empty and whitespace-only text blocks. */
    private static void nonBlank(String text, String path) {
        if (text.isEmpty()) {
            throw refuse(path + ": text content blocks must be non-empty");
        }
        if (text.isBlank()) {
            throw refuse(path + ": text content blocks must contain non-whitespace text");
        }
    }

    /** {@code {"type": "ephemeral"}}, optionally with a {@code ttl} of 5 minutes (the default) or an hour. */
    private static void cacheControl(JsonNode block, String path) {
        JsonNode control = block.path("cache_control");
        if (!present(control)) {
            return;
        }
        String at = path + ".cache_control";
        if (!control.isObject()) {
            throw refuse(at + ": Input should be a valid dictionary or object");
        }
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) control::fields) {
            switch (field.getKey()) {
                case "type" -> {
                    if (!"ephemeral".equals(field.getValue().asText(null))) {
                        throw refuse(at + ".type: Input should be 'ephemeral'");
                    }
                }
                case "ttl" -> {
                    String ttl = field.getValue().asText(null);
                    if (!"5m".equals(ttl) && !"1h".equals(ttl)) {
                        throw refuse(at + ".ttl: Input should be '5m' or '1h'");
                    }
                }
                default -> throw refuse(at + "." + field.getKey() + ": Extra inputs are not permitted");
            }
        }
        if (!control.has("type")) {
            throw refuse(at + ".type: Field required");
        }
    }

    private static int cacheBreakpoints(JsonNode body) {
        List<JsonNode> blocks = new ArrayList<>();
        body.path("tools").forEach(blocks::add);
        body.path("system").forEach(blocks::add);
        for (JsonNode message : body.path("messages")) {
            for (JsonNode block : message.path("content")) {
                blocks.add(block);
                if (block.path("content").isArray()) {
                    block.path("content").forEach(blocks::add);
                }
            }
        }
        return (int) blocks.stream().filter(block -> present(block.path("cache_control"))).count();
    }

    private static void required(JsonNode node, String field, String path) {
        if (!present(node.path(field))) {
            throw refuse(path + "." + field + ": Field required");
        }
    }

    private static boolean present(JsonNode node) {
        return !node.isMissingNode() && !node.isNull();
    }

    private static AwsError refuse(String message) {
        return AwsError.validation(message);
    }
}
