package dev.bedrockgateway.translate.claude;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.anthropic.AnthropicJson;

/**
 * Anthropic's Messages request onto Claude's InvokeModel body on Bedrock
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html):
 * the client's fields pass as they are — thinking blocks and their signatures, tool use, {@code cache_control} with
 * its {@code ttl}, documents, images, system blocks — and only what Bedrock would refuse is adapted, per model, each
 * change listed in {@link ClaudeInvoke#adaptations()}:
 *
 * <pre>
 * client sends                         Bedrock takes it          otherwise
 * model, stream                        never (path, operation)   removed
 * anthropic_version                    bedrock-2023-05-31        set
 * anthropic-beta header / anthropic_beta  flags of the table (gateway.anthropic.beta-flags), as anthropic_beta
 *                                                                other flags dropped
 * role "system" inside messages        never                     moved, in order, to the end of the top-level system
 * thinking {"type":"adaptive"}         gateway.anthropic.adaptive-thinking models
 *                                                                "enabled" with budget_tokens = effort share of
 *                                                                max_tokens (and interleaved thinking where the model
 *                                                                takes it); dropped when max_tokens <= 1024
 * context_management                   where context-management-2025-06-27 is taken (flag added)
 *                                                                dropped
 * output_config.effort                 where effort-2025-11-24 is taken (flag added)
 *                                                                dropped (after setting the thinking budget)
 * metadata, service_tier               never (first-party only)  dropped
 * anything else                        passed; Bedrock's own 400 answers what it does not take
 * </pre>
 *
 * Claude Code sends all of these by default (its system reminders, adaptive thinking on the newest models, thinking
 * clean-up, its own beta flags), so none of them may fail a request. Pure and per-deployment: the request tree is
 * never changed, the body shares its unchanged parts.
 */
public final class MessagesToInvoke {

    public static final String BEDROCK_VERSION = "bedrock-2023-05-31";
    /** Anthropic's minimum thinking budget. */
    static final int MIN_THINKING_BUDGET = 1024;
    private static final Set<String> REMOVED = Set.of("model", "stream", "anthropic_version", "anthropic_beta");
    private static final Set<String> FIRST_PARTY_ONLY = Set.of("metadata", "service_tier");

    private MessagesToInvoke() {
    }

    /**
     * @param request the client's Messages request (read only)
     * @param headerBetas the {@code anthropic-beta} header's flags
     * @param modelId the deployment's Bedrock model id
     */
    public static ClaudeInvoke toInvoke(ObjectNode request, List<String> headerBetas, String modelId,
            ClaudeFeatures features) {
        List<String> notes = new ArrayList<>(0);
        ObjectNode body = toBody(request, headerBetas, modelId, features, notes);
        return new ClaudeInvoke(AnthropicJson.write(body), List.copyOf(notes));
    }

    /** The body, each adaptation added to {@code notes}. */
    static ObjectNode toBody(ObjectNode request, List<String> headerBetas, String modelId, ClaudeFeatures features,
            List<String> notes) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("anthropic_version", BEDROCK_VERSION);
        Set<String> betas = new LinkedHashSet<>(headerBetas);
        JsonNode bodyBetas = request.get("anthropic_beta");
        if (bodyBetas != null && bodyBetas.isArray()) {
            bodyBetas.forEach(flag -> betas.add(flag.asText()));
        } else if (bodyBetas != null && bodyBetas.isTextual()) {
            betas.add(bodyBetas.asText());
        }
        List<JsonNode> movedSystem = new ArrayList<>(0);
        JsonNode messages = messages(request.get("messages"), movedSystem, notes);
        for (Map.Entry<String, JsonNode> field : request.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (REMOVED.contains(name)) {
                continue;
            }
            if (FIRST_PARTY_ONLY.contains(name)) {
                notes.add(name + " dropped");
                continue;
            }
            switch (name) {
                case "messages" -> body.set(name, messages);
                case "system" -> body.set(name, movedSystem.isEmpty() ? value : system(value, movedSystem));
                case "thinking" -> thinking(request, value, modelId, features, body, betas, notes);
                case "context_management" -> {
                    if (features.takesBeta(ClaudeFeatures.CONTEXT_MANAGEMENT_BETA, modelId)) {
                        body.set(name, value);
                        betas.add(ClaudeFeatures.CONTEXT_MANAGEMENT_BETA);
                    } else {
                        notes.add("context_management dropped");
                    }
                }
                case "output_config" -> outputConfig(value, modelId, features, body, betas, notes);
                default -> body.set(name, value);
            }
        }
        if (!movedSystem.isEmpty() && !request.has("system")) {
            body.set("system", system(null, movedSystem));
        }
        ArrayNode passed = body.arrayNode();
        for (String flag : betas) {
            if (features.takesBeta(flag, modelId)) {
                passed.add(flag);
            } else {
                notes.add("anthropic-beta " + flag + " dropped");
            }
        }
        if (!passed.isEmpty()) {
            body.set("anthropic_beta", passed);
        }
        return body;
    }

    /** The messages without those of role system, which go to {@code moved}; the same array when there are none. */
    private static JsonNode messages(JsonNode messages, List<JsonNode> moved, List<String> notes) {
        if (!(messages instanceof ArrayNode array)) {
            return messages;
        }
        boolean any = false;
        for (JsonNode message : array) {
            if ("system".equals(message.path("role").asText())) {
                any = true;
                break;
            }
        }
        if (!any) {
            return array;
        }
        ArrayNode kept = JsonNodeFactory.instance.arrayNode(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode message = array.get(i);
            if ("system".equals(message.path("role").asText())) {
                moved.add(message.path("content"));
                notes.add("messages[" + i + "] role system moved to system");
            } else {
                kept.add(message);
            }
        }
        return kept;
    }

    /** The top-level system as blocks, the moved system messages' content appended in order. */
    private static ArrayNode system(JsonNode system, List<JsonNode> moved) {
        ArrayNode blocks = JsonNodeFactory.instance.arrayNode();
        appendBlocks(blocks, system);
        moved.forEach(content -> appendBlocks(blocks, content));
        return blocks;
    }

    private static void appendBlocks(ArrayNode blocks, JsonNode content) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            if (!content.asText().isBlank()) {
                blocks.addObject().put("type", "text").put("text", content.asText());
            }
        } else if (content.isArray()) {
            content.forEach(blocks::add);
        } else {
            blocks.add(content);
        }
    }

    private static void thinking(ObjectNode request, JsonNode thinking, String modelId, ClaudeFeatures features,
            ObjectNode body, Set<String> betas, List<String> notes) {
        if (!"adaptive".equals(thinking.path("type").asText()) || features.takesAdaptiveThinking(modelId)) {
            body.set("thinking", thinking);
            return;
        }
        int maxTokens = request.path("max_tokens").asInt(0);
        if (maxTokens <= MIN_THINKING_BUDGET) {
            notes.add("thinking adaptive dropped (max_tokens leaves no room for a budget)");
            return;
        }
        String effort = request.path("output_config").path("effort").asText("high");
        BigDecimal share = switch (effort) {
            case "low" -> new BigDecimal("0.25");
            case "medium" -> new BigDecimal("0.5");
            case "max" -> new BigDecimal("0.95");
            default -> new BigDecimal("0.8");
        };
        int budget = share.multiply(BigDecimal.valueOf(maxTokens)).intValue();
        budget = Math.min(Math.max(budget, MIN_THINKING_BUDGET), maxTokens - 1);
        body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        notes.add("thinking adaptive became enabled with budget_tokens " + budget);
        if (features.takesBeta(ClaudeFeatures.INTERLEAVED_THINKING_BETA, modelId)) {
            betas.add(ClaudeFeatures.INTERLEAVED_THINKING_BETA);
        }
    }

    private static void outputConfig(JsonNode config, String modelId, ClaudeFeatures features, ObjectNode body,
            Set<String> betas, List<String> notes) {
        if (!(config instanceof ObjectNode object) || !object.has("effort")) {
            body.set("output_config", config);
            return;
        }
        if (features.takesBeta(ClaudeFeatures.EFFORT_BETA, modelId)) {
            body.set("output_config", config);
            betas.add(ClaudeFeatures.EFFORT_BETA);
            return;
        }
        notes.add("output_config.effort dropped");
        ObjectNode rest = object.deepCopy();
        rest.remove("effort");
        if (!rest.isEmpty()) {
            body.set("output_config", rest);
        }
    }
}
