package dev.bedrockgateway.translate.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.catalog.BedrockModelIds;
import dev.bedrockgateway.translate.ConverseStreams;
import dev.bedrockgateway.translate.Documents;
import dev.bedrockgateway.translate.Invalid;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormat;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatStructure;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;

/**
 * Anthropic Messages request (https://docs.anthropic.com/en/api/messages) -> Bedrock Converse request
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html), for Bedrock models that are not
 * Anthropic's (Nova, Llama, Mistral, ...). Pure and total: every field maps, is dropped and reported in
 * {@link MessagesConverse#dropped()}, or is refused with a 400 whose {@code param} is the field's JSON path. The
 * conversation, tools, attachments and cache points each have their own class; the options are here:
 * <ul>
 * <li>{@code max_tokens} (required; at least 1, since Converse cannot only warm the cache), {@code temperature} and
 * {@code top_p} (Anthropic's range, 0 to 1), {@code stop_sequences} -> {@code inferenceConfig}.</li>
 * <li>{@code top_k} -> {@code additionalModelRequestFields.inferenceConfig.topK} for Amazon Nova, where AWS documents
 * it ({@link NovaModels}); refused for other models, whose Converse field names for it are undocumented or which have
 * none (Llama).</li>
 * <li>{@code thinking}: {@code disabled} is accepted; {@code enabled} and {@code adaptive} are refused: extended
 * thinking is Claude's, and the reasoning controls of other models are not Anthropic's.</li>
 * <li>{@code output_config.format} (and the beta {@code output_format}) {@code {type: json_schema, schema}} ->
 * {@code outputConfig.textFormat} with the schema as a JSON string, Converse's structured output
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/structured-output.html); {@code output_config.effort} is
 * refused (a Claude control).</li>
 * <li>{@code metadata.user_id} is dropped and reported: it only identifies the end user to Anthropic.</li>
 * <li>{@code service_tier}: {@code auto} and {@code standard_only} both mean the standard tier for a caller without
 * Anthropic Priority Tier capacity, which is Bedrock's default tier: nothing is sent. Bedrock's own priority and flex
 * tiers are priced differently and are not what either value asks for.</li>
 * <li>{@code inference_geo} is honoured when the deployment's model id is a cross-region inference profile of that
 * geography ({@code us.}, {@code eu.}, {@code global.} ...), since the profile decides where Bedrock runs the
 * request; otherwise refused.</li>
 * <li>{@code container}, {@code context_management}, {@code mcp_servers} and {@code speed} are refused unless empty:
 * they drive Anthropic-run features with no Converse twin.</li>
 * <li>{@code model} and {@code stream} are read by the caller and ignored here; any other field is refused with
 * Anthropic's wording, {@code <field>: Extra inputs are not permitted}.</li>
 * </ul>
 */
public final class MessagesToConverse {

    private static final Set<String> FIELDS = Set.of("model", "stream", "messages", "system", "max_tokens",
            "temperature", "top_p", "top_k", "stop_sequences", "tools", "tool_choice", "metadata", "thinking",
            "output_config", "output_format", "service_tier", "inference_geo", "cache_control", "container",
            "context_management", "mcp_servers", "speed");
    private static final List<String> ANTHROPIC_RUN = List.of("container", "context_management", "mcp_servers",
            "speed");
    private static final Set<String> METADATA_FIELDS = Set.of("user_id");
    private static final Set<String> OUTPUT_CONFIG_FIELDS = Set.of("format", "effort");
    private static final Set<String> OUTPUT_FORMAT_FIELDS = Set.of("type", "schema");

    private MessagesToConverse() {
    }

    /**
     * @param request the Messages body as the client sent it
     * @param modelId the Bedrock model id (or inference profile id or ARN) to call
     */
    public static MessagesConverse toConverse(ObjectNode request, String modelId) {
        Fields.only(request, "", FIELDS);
        for (String field : ANTHROPIC_RUN) {
            JsonNode value = Fields.optional(request, field);
            // An empty list or object asks for nothing.
            if (value != null && !(value.isContainerNode() && value.isEmpty())) {
                throw Fields.unsupported(field, "this Anthropic feature is not available for this model through"
                        + " Amazon Bedrock Converse.");
            }
        }
        List<String> dropped = new ArrayList<>();
        InferenceConfiguration inferenceConfig = inferenceConfig(request);
        thinking(request);
        Document additional = topK(request, modelId);
        metadata(request, dropped);
        serviceTier(request);
        inferenceGeo(request, modelId);
        OutputConfig outputConfig = outputConfig(request);
        Tools.Choice choice = Tools.choice(request, dropped);
        CacheControls cacheControls = CacheControls.forModel(modelId, dropped);
        Tools.Declared declared = Tools.declared(request, cacheControls);
        Conversation conversation = Conversation.of(request, choice != null && choice.none(),
                NovaModels.isNova(modelId), new Attachments(), cacheControls, dropped);
        ToolConfiguration toolConfig = Tools.toolConfig(declared, choice, conversation.toolNamesInHistory());

        ConverseRequest.Builder converse = ConverseRequest.builder().modelId(modelId)
                .messages(conversation.messages()).inferenceConfig(inferenceConfig);
        if (!conversation.system().isEmpty()) {
            converse.system(conversation.system());
        }
        converse.toolConfig(toolConfig).additionalModelRequestFields(additional).outputConfig(outputConfig);
        ConverseRequest built = converse.build();
        return new MessagesConverse(built, ConverseStreams.of(built), dropped);
    }

    private static InferenceConfiguration inferenceConfig(ObjectNode request) {
        InferenceConfiguration.Builder config = InferenceConfiguration.builder();
        JsonNode maxTokens = Fields.required(request, "max_tokens", "");
        if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt()) {
            throw Invalid.type("max_tokens", "an integer");
        }
        if (maxTokens.intValue() < 1) {
            throw Invalid.value("max_tokens", maxTokens.intValue() + " is less than the minimum of 1 (Amazon Bedrock"
                    + " Converse cannot only warm the prompt cache)");
        }
        config.maxTokens(maxTokens.intValue());
        config.temperature(unitInterval(request, "temperature"));
        config.topP(unitInterval(request, "top_p"));
        JsonNode stop = Fields.optional(request, "stop_sequences");
        if (stop != null) {
            if (!stop.isArray()) {
                throw Invalid.type("stop_sequences", "an array of strings");
            }
            List<String> sequences = new ArrayList<>();
            for (int i = 0; i < stop.size(); i++) {
                String at = Fields.index("stop_sequences", i);
                if (!stop.get(i).isTextual()) {
                    throw Invalid.type(at, "a string");
                }
                if (stop.get(i).textValue().isEmpty()) {
                    throw Invalid.value(at, "a stop sequence must not be empty");
                }
                sequences.add(stop.get(i).textValue());
            }
            if (!sequences.isEmpty()) {
                config.stopSequences(sequences);
            }
        }
        return config.build();
    }

    private static Float unitInterval(ObjectNode request, String field) {
        JsonNode value = Fields.optional(request, field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw Invalid.type(field, "a number");
        }
        if (value.doubleValue() < 0 || value.doubleValue() > 1) {
            throw Invalid.value(field, value.asText() + " is not between 0 and 1");
        }
        return value.floatValue();
    }

    private static void thinking(ObjectNode request) {
        JsonNode node = Fields.optional(request, "thinking");
        if (node == null) {
            return;
        }
        ObjectNode thinking = Fields.object(node, "thinking");
        String type = Fields.type(thinking, "thinking");
        switch (type) {
            case "disabled" -> Fields.only(thinking, "thinking", Set.of("type"));
            case "enabled", "adaptive" -> throw Fields.unsupported("thinking", "extended thinking is not available"
                    + " for this model; remove 'thinking' or set it to {\"type\": \"disabled\"}.");
            default -> throw Invalid.value("thinking.type", "'" + type + "' is not one of 'enabled', 'adaptive',"
                    + " 'disabled'");
        }
    }

    private static Document topK(ObjectNode request, String modelId) {
        JsonNode topK = Fields.optional(request, "top_k");
        if (topK == null) {
            return null;
        }
        if (!topK.isIntegralNumber() || !topK.canConvertToInt()) {
            throw Invalid.type("top_k", "an integer");
        }
        if (topK.intValue() < 0) {
            throw Invalid.value("top_k", topK.intValue() + " is less than the minimum of 0");
        }
        if (!NovaModels.isNova(modelId)) {
            throw Fields.unsupported("top_k", "top-k sampling is mapped for Amazon Nova models only; this model takes"
                    + " no top_k through Amazon Bedrock Converse.");
        }
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.putObject("inferenceConfig").put("topK", topK.intValue());
        return Documents.fromJson(fields);
    }

    private static void metadata(ObjectNode request, List<String> dropped) {
        JsonNode node = Fields.optional(request, "metadata");
        if (node == null) {
            return;
        }
        ObjectNode metadata = Fields.object(node, "metadata");
        Fields.only(metadata, "metadata", METADATA_FIELDS);
        if (Fields.optionalText(metadata, "user_id", "metadata") != null) {
            dropped.add("metadata.user_id");
        }
    }

    private static void serviceTier(ObjectNode request) {
        JsonNode tier = Fields.optional(request, "service_tier");
        if (tier == null) {
            return;
        }
        if (!tier.isTextual()) {
            throw Invalid.type("service_tier", "a string");
        }
        if (!"auto".equals(tier.textValue()) && !"standard_only".equals(tier.textValue())) {
            throw Invalid.value("service_tier", "'" + tier.textValue() + "' is not one of 'auto', 'standard_only'");
        }
    }

    private static void inferenceGeo(ObjectNode request, String modelId) {
        String geo = Fields.optionalText(request, "inference_geo", "");
        if (geo == null) {
            return;
        }
        Optional<String> profile = BedrockModelIds.profileGeography(modelId);
        if (!profile.equals(Optional.of(geo))) {
            throw Fields.unsupported("inference_geo", "this model runs "
                    + profile.map(p -> "in the '" + p + "' geography").orElse("in one AWS region")
                    + ", set by the gateway's deployment, not by the request.");
        }
    }

    private static OutputConfig outputConfig(ObjectNode request) {
        JsonNode config = Fields.optional(request, "output_config");
        JsonNode legacy = Fields.optional(request, "output_format");
        JsonNode format = null;
        String formatAt = null;
        if (config != null) {
            ObjectNode object = Fields.object(config, "output_config");
            Fields.only(object, "output_config", OUTPUT_CONFIG_FIELDS);
            if (Fields.optional(object, "effort") != null) {
                throw Fields.unsupported("output_config.effort", "effort is a Claude control, not available for this"
                        + " model.");
            }
            format = Fields.optional(object, "format");
            formatAt = "output_config.format";
        }
        if (legacy != null) {
            if (format != null) {
                throw Invalid.value("output_format", "give either 'output_format' or 'output_config.format', not both");
            }
            format = legacy;
            formatAt = "output_format";
        }
        if (format == null) {
            return null;
        }
        ObjectNode object = Fields.object(format, formatAt);
        Fields.only(object, formatAt, OUTPUT_FORMAT_FIELDS);
        String type = Fields.type(object, formatAt);
        if (!"json_schema".equals(type)) {
            throw Invalid.value(Fields.path(formatAt, "type"), "'" + type + "' is not 'json_schema'");
        }
        String schemaAt = Fields.path(formatAt, "schema");
        ObjectNode schema = Fields.object(Fields.required(object, "schema", formatAt), schemaAt);
        return OutputConfig.builder().textFormat(OutputFormat.builder().type(OutputFormatType.JSON_SCHEMA)
                .structure(OutputFormatStructure.fromJsonSchema(JsonSchemaDefinition.builder()
                        .schema(schema.toString()).build()))
                .build()).build();
    }
}
