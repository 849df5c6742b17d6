package dev.bedrockgateway.translate.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.openai.ResponsesRequest;

/**
 * The {@code response} object (components/schemas/Response) around the output: its id and status, and the request's
 * settings echoed as OpenAI echoes them (each with OpenAI's default when the request left it out).
 */
public final class ResponseEnvelope {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ResponsesRequest request;
    private final String id;
    private final long createdAt;
    private final String model;

    /** @param model the model name the client sent */
    public ResponseEnvelope(ResponsesRequest request, String id, long createdAt, String model) {
        this.request = request;
        this.id = id;
        this.createdAt = createdAt;
        this.model = model;
    }

    public String id() {
        return id;
    }

    public long createdAt() {
        return createdAt;
    }

    /**
     * @param status {@code in_progress}, {@code completed}, {@code incomplete} or {@code failed}
     * @param incompleteReason {@code max_output_tokens} or {@code content_filter} when incomplete, else null
     * @param error {@code {code, message}} when failed, else null
     * @param usage null until the response is over (then left out)
     */
    public ObjectNode build(String status, ArrayNode output, String incompleteReason, ObjectNode error,
            ObjectNode usage) {
        ObjectNode out = NODES.objectNode().put("id", id).put("object", "response").put("created_at", createdAt)
                .put("status", status).put("background", false);
        if ("completed".equals(status)) {
            out.put("completed_at", System.currentTimeMillis() / 1000);
        } else {
            out.putNull("completed_at");
        }
        out.set("error", error == null ? NODES.nullNode() : error);
        out.set("incomplete_details", incompleteReason == null ? NODES.nullNode()
                : NODES.objectNode().put("reason", incompleteReason));
        echo(out, "instructions", request.instructions());
        if (request.maxOutputTokens() == null) {
            out.putNull("max_output_tokens");
        } else {
            out.put("max_output_tokens", request.maxOutputTokens());
        }
        out.putNull("max_tool_calls");
        out.put("model", model);
        out.set("output", output);
        out.put("parallel_tool_calls", !Boolean.FALSE.equals(request.parallelToolCalls()));
        out.put("previous_response_id", request.previousResponseId());
        out.put("prompt_cache_key", request.promptCacheKey());
        ObjectNode reasoning = out.putObject("reasoning");
        ResponsesRequest.ReasoningOptions asked = request.reasoning();
        reasoning.put("effort", asked == null ? null : asked.effort());
        reasoning.put("summary", asked == null ? null : asked.summary());
        out.put("safety_identifier", request.safetyIdentifier());
        out.put("service_tier", request.serviceTier() == null || "auto".equals(request.serviceTier()) ? "default"
                : request.serviceTier());
        out.put("store", request.stored());
        out.put("temperature", request.temperature() == null ? 1.0 : request.temperature());
        ObjectNode text = out.putObject("text");
        JsonNode format = request.text() == null ? null : request.text().format();
        text.set("format", format == null || format.isNull() ? NODES.objectNode().put("type", "text") : format);
        text.put("verbosity", request.text() == null || request.text().verbosity() == null ? "medium"
                : request.text().verbosity());
        out.set("tool_choice", request.toolChoice() == null || request.toolChoice().isNull()
                ? NODES.textNode("auto") : request.toolChoice());
        ArrayNode tools = out.putArray("tools");
        if (request.tools() != null) {
            request.tools().forEach(tool -> tools.add(echoTool(tool)));
        }
        out.put("top_logprobs", request.topLogprobs() == null ? 0 : request.topLogprobs());
        out.put("top_p", request.topP() == null ? 1.0 : request.topP());
        out.put("truncation", request.truncation() == null ? "disabled" : request.truncation());
        if (usage != null) {
            out.set("usage", usage);
        }
        if (request.user() != null) {
            out.put("user", request.user());
        }
        echo(out, "metadata", request.metadata() == null ? NODES.objectNode() : request.metadata());
        return out;
    }

    /** A function tool as OpenAI echoes it: {@code strict} (true unless said) and {@code parameters} always there. */
    private static JsonNode echoTool(JsonNode tool) {
        if (!(tool instanceof ObjectNode object) || !"function".equals(tool.path("type").asText())) {
            return tool;
        }
        ObjectNode out = object.deepCopy();
        if (!out.has("strict") || out.get("strict").isNull()) {
            out.put("strict", true);
        }
        if (!out.has("parameters")) {
            out.putNull("parameters");
        }
        return out;
    }

    private static void echo(ObjectNode out, String field, JsonNode value) {
        out.set(field, value == null ? NODES.nullNode() : value);
    }
}
