package dev.bedrockgateway.translate.responses;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.bedrockgateway.openai.ResponsesRequest;
import dev.bedrockgateway.translate.Invalid;
import dev.bedrockgateway.translate.UnsupportedParams;

/**
 * The Responses API's options that have no Bedrock equivalent and are not the chat translator's: refused by name, or
 * dropped under {@code drop_params}. Options with a neutral value pass.
 */
final class ResponsesChecks {

    /** components/schemas/IncludeEnum. */
    private static final Set<String> INCLUDABLE = Set.of("file_search_call.results", "web_search_call.results",
            "web_search_call.action.sources", "message.input_image.image_url", "computer_call_output.output.image_url",
            "code_interpreter_call.outputs", "reasoning.encrypted_content", "message.output_text.logprobs");

    private ResponsesChecks() {
    }

    /** Checks that fail fast, before any deployment is asked: values of the wrong kind. */
    static void validate(ResponsesRequest request) {
        if (request.include() != null) {
            for (int i = 0; i < request.include().size(); i++) {
                String value = request.include().get(i);
                if (value == null || !INCLUDABLE.contains(value)) {
                    throw Invalid.value("include[" + i + "]", "'" + value + "' is not one of "
                            + String.join(", ", INCLUDABLE.stream().sorted().toList()));
                }
            }
        }
        if (request.reasoning() != null) {
            summary("reasoning.summary", request.reasoning().summary());
            summary("reasoning.generate_summary", request.reasoning().generateSummary());
        }
        if (request.truncation() != null && !Set.of("auto", "disabled").contains(request.truncation())) {
            throw Invalid.value("truncation", "'" + request.truncation() + "' is not one of 'auto', 'disabled'");
        }
    }

    private static void summary(String param, String value) {
        if (value != null && !Set.of("auto", "concise", "detailed").contains(value)) {
            throw Invalid.value(param, "'" + value + "' is not one of 'auto', 'concise', 'detailed'");
        }
    }

    static void check(ResponsesInput input, UnsupportedParams params) {
        ResponsesRequest request = input.request();
        for (Map.Entry<String, String> hosted : input.hostedTools().entrySet()) {
            params.unsupported(hosted.getKey(), "(type '" + hosted.getValue() + "') cannot be honoured: it is a"
                    + " built-in OpenAI tool, which Amazon Bedrock does not have; declare function tools instead"
                    + (hosted.getValue().startsWith("web_search") ? " (Codex CLI: web_search = \"disabled\" in its"
                            + " config.toml)" : ""));
        }
        if (Boolean.TRUE.equals(request.background())) {
            params.unsupported("background", "true cannot be honoured: the gateway answers while the client waits");
        }
        present(params, "conversation", request.conversation(), "OpenAI's Conversations API is not served by the"
                + " gateway; continue with 'previous_response_id'");
        present(params, "prompt", request.prompt(), "OpenAI's stored prompts do not exist on Amazon Bedrock");
        present(params, "context_management", request.contextManagement(), "cannot be honoured on Amazon Bedrock");
        if (request.maxToolCalls() != null) {
            params.unsupported("max_tool_calls", "cannot be honoured: Amazon Bedrock Converse has no such limit");
        }
        if (request.topLogprobs() != null && request.topLogprobs() != 0) {
            params.unsupported("top_logprobs", "cannot be honoured: Amazon Bedrock does not return log probabilities");
        }
        if (request.include() != null && request.include().contains("message.output_text.logprobs")) {
            params.unsupported("include", "'message.output_text.logprobs' cannot be honoured: Amazon Bedrock does"
                    + " not return log probabilities");
        }
        if ("auto".equals(request.truncation())) {
            params.unsupported("truncation", "'auto' cannot be honoured: the gateway does not drop earlier items;"
                    + " a conversation longer than the model's context fails with a 400, as with 'disabled'");
        }
    }

    private static void present(UnsupportedParams params, String name, JsonNode value, String why) {
        if (value != null && !value.isNull()) {
            params.unsupported(name, "cannot be honoured: " + why);
        }
    }
}
