package dev.bedrockgateway.translate;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.images.FetchedImage;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.openai.ChatMessage;
import dev.bedrockgateway.openai.ContentPart;
import dev.bedrockgateway.openai.MessageContent;
import dev.bedrockgateway.openai.ThinkingBlock;
import dev.bedrockgateway.openai.ToolCall;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * OpenAI chat completion request -> Bedrock Converse request
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html). Pure and total: every
 * input maps, or is refused with a 400 whose {@code param} names the field. One instance per request.
 */
public final class ChatToConverse {

    /** The name of the forced tool that carries a {@code response_format} answer when the schema has none. */
    static final String DEFAULT_STRUCTURED_OUTPUT_TOOL = "json_response";
    private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    /** Anthropic's minimum thinking budget. */
    private static final int MIN_THINKING_BUDGET = 1024;
    /** Room left for the answer when the client set no max_tokens but asked for reasoning. */
    private static final int ANSWER_TOKENS_WITH_THINKING = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CachePointBlock CACHE_POINT = CachePointBlock.builder().type(CachePointType.DEFAULT).build();
    /** Stands in for a remote image not fetched yet; a translation holding it is never sent. */
    private static final ImageBlock PENDING_IMAGE = ImageBlock.builder().format(ImageFormat.PNG)
            .source(ImageSource.fromBytes(SdkBytes.fromByteArray(new byte[0]))).build();

    private final ChatCompletionRequest request;
    private final Deployment deployment;
    private final UnsupportedParams params;
    private final Map<String, FetchedImage> remoteImages;
    private final List<RemoteImageRef> pendingImages = new ArrayList<>();
    private StructuredOutput structuredOutput;
    private Integer thinkingBudget;

    /**
     * The translated request, the names of parameters dropped under {@code drop_params}, and what the response
     * side needs to know.
     *
     * @param structuredOutputTool the forced tool whose input is the {@code response_format} answer, or null
     * @param includeUsage {@code stream_options.include_usage}
     * @param pendingImages remote image URLs that were not among the fetched images: when not empty, the request
     *        is valid but incomplete; fetch these and translate again
     */
    public record Translation(ConverseRequest request, List<String> droppedParams, String structuredOutputTool,
            boolean stream, boolean includeUsage, List<RemoteImageRef> pendingImages) {

        /** The same request for ConverseStream. */
        public ConverseStreamRequest streamRequest() {
            return SamplingParams.streamRequest(request);
        }
    }

    private record StructuredOutput(String toolName, Tool tool) {
    }

    /** An {@code image_url} whose URL must be fetched, and the param naming it. */
    public record RemoteImageRef(String url, String param) {
    }

    private ChatToConverse(ChatCompletionRequest request, Deployment deployment, boolean dropParams,
            Map<String, FetchedImage> remoteImages) {
        this.request = request;
        this.deployment = deployment;
        this.params = new UnsupportedParams(dropParams);
        this.remoteImages = remoteImages;
    }

    /**
     * @param unknownParams request fields OpenAI does not define (paths such as {@code foo} or
     *        {@code messages[0].bar}), collected by the JSON reader
     * @param remoteImages fetched remote images by URL; those missing are reported in
     *        {@link Translation#pendingImages()}, so a first translation with none validates the whole request
     *        before anything is fetched
     */
    public static Translation toConverseRequest(ChatCompletionRequest request, Deployment deployment,
            boolean dropParams, List<String> unknownParams, Map<String, FetchedImage> remoteImages) {
        ChatToConverse t = new ChatToConverse(request, deployment, dropParams, remoteImages);
        unknownParams.forEach(t.params::unknown);
        boolean stream = Boolean.TRUE.equals(request.stream());
        boolean includeUsage = SamplingParams.includeUsage(stream, request.streamOptions());
        ConverseRequest converse = t.translate();
        return new Translation(converse, t.params.dropped(),
                t.structuredOutput == null ? null : t.structuredOutput.toolName(), stream, includeUsage,
                List.copyOf(t.pendingImages));
    }

    private ConverseRequest translate() {
        checkUnsupportedOptions();
        if (request.messages() == null || request.messages().isEmpty()) {
            throw OpenAiException.invalidRequest("messages", "'messages' is required and must not be empty.");
        }
        thinkingBudget = thinkingBudget();
        structuredOutput = structuredOutput();
        boolean toolChoiceNone = toolChoiceIsNone();
        Conversation conversation = new Conversation(toolChoiceNone);
        List<SystemContentBlock> system = new ArrayList<>();
        for (int i = 0; i < request.messages().size(); i++) {
            addMessage(i, request.messages().get(i), conversation, system);
        }
        List<Message> messages = conversation.messages();
        if (messages.isEmpty()) {
            throw OpenAiException.invalidRequest("messages",
                    "'messages' must contain at least one user message with non-empty content.");
        }
        if (messages.get(0).role() != ConversationRole.USER) {
            throw OpenAiException.invalidRequest("messages",
                    "The conversation must start with a user message (after any system messages): Amazon Bedrock"
                            + " requires it.");
        }
        ConverseRequest.Builder builder = ConverseRequest.builder()
                .modelId(deployment.modelId())
                .messages(messages)
                .inferenceConfig(inferenceConfig());
        if (!system.isEmpty()) {
            builder.system(system);
        }
        ToolConfiguration tools = toolConfig(conversation.toolNamesInHistory(), toolChoiceNone);
        if (tools != null) {
            builder.toolConfig(tools);
        }
        ObjectNode additional = additionalModelRequestFields();
        if (!additional.isEmpty()) {
            builder.additionalModelRequestFields(Documents.fromJson(additional));
        }
        return builder.build();
    }

    // ---- options -------------------------------------------------------------------------------------------

    private void checkUnsupportedOptions() {
        SamplingParams.n(params, request.n());
        if (Boolean.TRUE.equals(request.logprobs())) {
            params.unsupported("logprobs", "cannot be honoured: Amazon Bedrock does not return log probabilities");
        }
        Integer topLogprobs = request.topLogprobs();
        if (topLogprobs != null) {
            if (topLogprobs < 0 || topLogprobs > 20) {
                throw invalidValue("top_logprobs", topLogprobs + " is not between 0 and 20");
            }
            if (topLogprobs > 0) {
                params.unsupported("top_logprobs",
                        "cannot be honoured: Amazon Bedrock does not return log probabilities");
            }
        }
        SamplingParams.penalty(params, "presence_penalty", request.presencePenalty());
        SamplingParams.penalty(params, "frequency_penalty", request.frequencyPenalty());
        SamplingParams.seedAndLogitBias(params, request.seed(), request.logitBias());
        if (Boolean.TRUE.equals(request.store())) {
            params.unsupported("store", "cannot be honoured: the gateway does not store completions");
        }
        if (request.serviceTier() != null && !Set.of("auto", "default").contains(request.serviceTier())) {
            params.unsupported("service_tier", "'" + request.serviceTier() + "' cannot be honoured on Amazon Bedrock");
        }
        if (request.verbosity() != null && !"medium".equals(request.verbosity())) {
            params.unsupported("verbosity", "cannot be honoured on Amazon Bedrock");
        }
        if (request.modalities() != null && !request.modalities().stream().allMatch("text"::equals)) {
            params.unsupported("modalities", "other than [\"text\"] cannot be honoured on Amazon Bedrock Converse");
        }
        present("audio", request.audio(), "audio output cannot be produced through Amazon Bedrock Converse");
        present("prediction", request.prediction(), "predicted outputs cannot be honoured on Amazon Bedrock");
        present("web_search_options", request.webSearchOptions(), "web search is not available on Amazon Bedrock");
        present("functions", request.functions(), "is deprecated and not supported; use 'tools'");
        present("function_call", request.functionCall(), "is deprecated and not supported; use 'tool_choice'");
        present("prompt_cache_options", request.promptCacheOptions(), "cannot be honoured on Amazon Bedrock");
        present("moderation", request.moderation(), "cannot be honoured on Amazon Bedrock");
        if (request.promptCacheRetention() != null) {
            params.unsupported("prompt_cache_retention", "cannot be honoured on Amazon Bedrock");
        }
        if (Boolean.FALSE.equals(request.parallelToolCalls())) {
            params.unsupported("parallel_tool_calls",
                    "false cannot be honoured: Amazon Bedrock Converse has no switch for parallel tool calls");
        }
    }

    private void present(String name, JsonNode value, String why) {
        if (value != null && !value.isNull()) {
            params.unsupported(name, why);
        }
    }

    private InferenceConfiguration inferenceConfig() {
        InferenceConfiguration.Builder config = InferenceConfiguration.builder();
        Integer maxTokens = request.maxCompletionTokens() != null ? request.maxCompletionTokens()
                : request.maxTokens();
        String maxTokensParam = request.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens";
        SamplingParams.maxTokens(maxTokensParam, maxTokens);
        if (thinkingBudget != null && maxTokens != null && maxTokens <= thinkingBudget) {
            throw invalidValue(maxTokensParam, maxTokens + " leaves no room for an answer after the reasoning budget"
                    + " of " + thinkingBudget + " tokens; it must be greater");
        }
        if (maxTokens == null && deployment.maxTokens().isPresent()
                && (thinkingBudget == null || deployment.maxTokens().getAsInt() > thinkingBudget)) {
            maxTokens = deployment.maxTokens().getAsInt();
        }
        if (maxTokens == null && thinkingBudget != null) {
            maxTokens = thinkingBudget + ANSWER_TOKENS_WITH_THINKING;
        }
        if (maxTokens != null) {
            config.maxTokens(maxTokens);
        }
        Float temperature = SamplingParams.temperature(request.temperature());
        if (temperature != null && thinkingBudget != null && temperature != 1.0f) {
            params.unsupported("temperature", "other than 1 cannot be honoured while the model reasons"
                    + " (extended thinking)");
        } else {
            config.temperature(temperature);
        }
        Float topP = SamplingParams.topP(request.topP());
        if (topP != null && thinkingBudget != null && topP < 0.95f) {
            params.unsupported("top_p", "below 0.95 cannot be honoured while the model reasons"
                    + " (extended thinking)");
        } else {
            config.topP(topP);
        }
        List<String> stop = SamplingParams.stopSequences(request.stop());
        if (!stop.isEmpty()) {
            config.stopSequences(stop);
        }
        return config.build();
    }

    /**
     * {@code reasoning_effort} or the {@code thinking} extension -> Claude extended thinking
     * (https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-extended-thinking.html), with LiteLLM's
     * budgets for the efforts: low 1024, medium 2048, high 4096 tokens.
     */
    private Integer thinkingBudget() {
        JsonNode thinking = request.thinking();
        String effort = request.reasoningEffort();
        Integer budget;
        String param;
        if (thinking != null && !thinking.isNull()) {
            param = "thinking";
            if (!thinking.isObject()) {
                throw invalidType("thinking", "an object");
            }
            String type = thinking.path("type").asText("");
            if ("disabled".equals(type)) {
                return null;
            }
            if (!"enabled".equals(type)) {
                throw invalidValue("thinking.type", "'" + type + "' is not one of 'enabled', 'disabled'");
            }
            JsonNode tokens = thinking.get("budget_tokens");
            if (tokens == null || !tokens.isIntegralNumber()) {
                throw invalidType("thinking.budget_tokens", "an integer");
            }
            budget = tokens.intValue();
            if (budget < MIN_THINKING_BUDGET) {
                throw invalidValue("thinking.budget_tokens", budget + " is less than the minimum of "
                        + MIN_THINKING_BUDGET);
            }
        } else if (effort != null) {
            param = "reasoning_effort";
            budget = switch (effort) {
                case "none" -> null;
                case "minimal", "low" -> MIN_THINKING_BUDGET;
                case "medium" -> 2048;
                case "high" -> 4096;
                default -> throw invalidValue("reasoning_effort",
                        "'" + effort + "' is not one of 'none', 'minimal', 'low', 'medium', 'high'");
            };
        } else {
            return null;
        }
        if (budget != null && !deployment.modelId().contains("anthropic.claude")) {
            params.unsupported(param, "cannot be honoured for this model: extended thinking is mapped for"
                    + " Anthropic Claude models on Bedrock");
            return null;
        }
        return budget;
    }

    /**
     * {@code response_format} json_object / json_schema: Bedrock has no JSON mode every model shares, so the answer
     * is requested as the input of a forced tool whose input schema is the requested schema; the response side
     * turns that input back into {@code content} with {@code finish_reason: "stop"}.
     */
    private StructuredOutput structuredOutput() {
        ChatCompletionRequest.ResponseFormat format = request.responseFormat();
        if (format == null || format.type() == null || "text".equals(format.type())) {
            return null;
        }
        String name;
        String description;
        JsonNode schema;
        switch (format.type()) {
            case "json_object" -> {
                name = DEFAULT_STRUCTURED_OUTPUT_TOOL;
                description = "Respond with your complete answer as a JSON object, as the input of this tool.";
                schema = JSON.createObjectNode().put("type", "object");
            }
            case "json_schema" -> {
                JsonNode jsonSchema = format.jsonSchema();
                if (jsonSchema == null || !jsonSchema.isObject()) {
                    throw OpenAiException.invalidRequest("response_format.json_schema",
                            "'response_format.json_schema' is required when type is 'json_schema'.");
                }
                name = jsonSchema.path("name").asText(DEFAULT_STRUCTURED_OUTPUT_TOOL);
                if (!TOOL_NAME.matcher(name).matches()) {
                    throw invalidValue("response_format.json_schema.name",
                            "must be 1-64 letters, digits, underscores or dashes");
                }
                description = jsonSchema.path("description").asText(
                        "Respond with your complete answer, as the input of this tool, following its schema.");
                schema = jsonSchema.get("schema");
                if (schema == null || schema.isNull()) {
                    schema = JSON.createObjectNode().put("type", "object");
                } else if (!schema.isObject() || !"object".equals(schema.path("type").asText())) {
                    throw invalidValue("response_format.json_schema.schema",
                            "the root must be a JSON Schema of type 'object'");
                }
            }
            default -> throw invalidValue("response_format.type",
                    "'" + format.type() + "' is not one of 'text', 'json_object', 'json_schema'");
        }
        if (thinkingBudget != null) {
            params.unsupported("response_format", "cannot be combined with extended thinking on Bedrock (a forced"
                    + " tool is not allowed while the model reasons)");
            return null;
        }
        return new StructuredOutput(name, toolSpec(name, description, schema));
    }

    /** The {@code thinking} setting and the {@code additional_model_request_fields} pass-through (which wins). */
    private ObjectNode additionalModelRequestFields() {
        ObjectNode fields = JSON.createObjectNode();
        if (thinkingBudget != null) {
            fields.putObject("thinking").put("type", "enabled").put("budget_tokens", thinkingBudget);
        }
        JsonNode extra = request.additionalModelRequestFields();
        if (extra != null && !extra.isNull()) {
            if (!extra.isObject()) {
                throw invalidType("additional_model_request_fields", "an object");
            }
            fields.setAll((ObjectNode) extra);
        }
        return fields;
    }

    // ---- messages ------------------------------------------------------------------------------------------

    private void addMessage(int i, ChatMessage message, Conversation conversation, List<SystemContentBlock> system) {
        String at = "messages[" + i + "]";
        if (message == null) {
            throw invalidType(at, "an object");
        }
        if (message instanceof ChatMessage.System s) {
            systemBlocks(s.content(), at, system);
        } else if (message instanceof ChatMessage.Developer d) {
            systemBlocks(d.content(), at, system);
        } else if (message instanceof ChatMessage.User u) {
            conversation.add(ConversationRole.USER, userBlocks(u.content(), at));
        } else if (message instanceof ChatMessage.Assistant a) {
            conversation.add(ConversationRole.ASSISTANT, assistantBlocks(a, at, conversation));
        } else if (message instanceof ChatMessage.Tool t) {
            conversation.add(ConversationRole.USER, List.of(toolResult(t, at, conversation)));
        } else {
            throw OpenAiException.invalidRequest(at + ".role", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "Messages with role 'function' are deprecated and not supported; use role 'tool'.");
        }
    }

    private void systemBlocks(MessageContent content, String at, List<SystemContentBlock> system) {
        if (content instanceof MessageContent.Parts p) {
            for (int j = 0; j < p.parts().size(); j++) {
                if (!(p.parts().get(j) instanceof ContentPart.TextPart text)) {
                    throw OpenAiException.invalidRequest(at + ".content[" + j + "].type",
                            ErrorTypes.CODE_INVALID_VALUE, "Only 'text' content parts are allowed here.");
                }
                if (text.text() != null && !text.text().isBlank()) {
                    system.add(SystemContentBlock.fromText(text.text()));
                }
                if (cachePoint(text.cacheControl(), at + ".content[" + j + "].cache_control") && !system.isEmpty()) {
                    system.add(SystemContentBlock.fromCachePoint(CACHE_POINT));
                }
            }
        } else {
            texts(content, at).forEach(t -> system.add(SystemContentBlock.fromText(t)));
        }
    }

    /**
     * Anthropic-style {@code cache_control: {"type":"ephemeral"}} on a part: a Converse {@code cachePoint} after it
     * (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html).
     */
    private static boolean cachePoint(JsonNode cacheControl, String at) {
        if (cacheControl == null || cacheControl.isNull()) {
            return false;
        }
        if (!cacheControl.isObject() || !"ephemeral".equals(cacheControl.path("type").asText())) {
            throw OpenAiException.invalidRequest(at + ".type", ErrorTypes.CODE_INVALID_VALUE,
                    "cache_control must be {\"type\": \"ephemeral\"}.");
        }
        return true;
    }

    /** Text of a system/developer/tool message: a string or text parts; empty text is skipped. */
    private List<String> texts(MessageContent content, String at) {
        List<String> texts = new ArrayList<>();
        if (content == null) {
            return texts;
        }
        if (content instanceof MessageContent.Text t) {
            addIfNotBlank(texts, t.text());
            return texts;
        }
        List<ContentPart> parts = ((MessageContent.Parts) content).parts();
        for (int j = 0; j < parts.size(); j++) {
            if (parts.get(j) instanceof ContentPart.TextPart text) {
                addIfNotBlank(texts, text.text());
            } else {
                throw OpenAiException.invalidRequest(at + ".content[" + j + "].type",
                        ErrorTypes.CODE_INVALID_VALUE, "Only 'text' content parts are allowed here.");
            }
        }
        return texts;
    }

    private static void addIfNotBlank(List<String> texts, String text) {
        if (text != null && !text.isBlank()) {
            texts.add(text);
        }
    }

    private List<ContentBlock> userBlocks(MessageContent content, String at) {
        List<ContentBlock> blocks = new ArrayList<>();
        if (content == null) {
            throw OpenAiException.invalidRequest(at + ".content", "'content' is required for user messages.");
        }
        if (content instanceof MessageContent.Text t) {
            if (!t.text().isBlank()) {
                blocks.add(ContentBlock.fromText(t.text()));
            }
            return blocks;
        }
        List<ContentPart> parts = ((MessageContent.Parts) content).parts();
        for (int j = 0; j < parts.size(); j++) {
            String partAt = at + ".content[" + j + "]";
            ContentPart part = parts.get(j);
            if (part instanceof ContentPart.TextPart text) {
                if (text.text() != null && !text.text().isBlank()) {
                    blocks.add(ContentBlock.fromText(text.text()));
                }
                if (cachePoint(text.cacheControl(), partAt + ".cache_control") && !blocks.isEmpty()) {
                    blocks.add(ContentBlock.fromCachePoint(CACHE_POINT));
                }
            } else if (part instanceof ContentPart.ImagePart image) {
                blocks.add(ContentBlock.fromImage(image(image, partAt)));
                if (cachePoint(image.cacheControl(), partAt + ".cache_control")) {
                    blocks.add(ContentBlock.fromCachePoint(CACHE_POINT));
                }
            } else if (part instanceof ContentPart.AudioPart) {
                throw unsupportedPart(partAt, "input_audio");
            } else if (part instanceof ContentPart.FilePart) {
                throw unsupportedPart(partAt, "file");
            } else if (part instanceof ContentPart.RefusalPart) {
                throw OpenAiException.invalidRequest(partAt + ".type", ErrorTypes.CODE_INVALID_VALUE,
                        "'refusal' parts are only allowed in assistant messages.");
            } else {
                throw invalidType(partAt, "an object");
            }
        }
        return blocks;
    }

    private static OpenAiException unsupportedPart(String at, String type) {
        return OpenAiException.invalidRequest(at + ".type", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                "Content parts of type '" + type + "' are not supported by bedrock-gateway.");
    }

    /**
     * {@code data:image/...;base64,...} URLs, or remote URLs the caller fetched beforehand; either way the declared
     * type must match the bytes.
     */
    private ImageBlock image(ContentPart.ImagePart part, String at) {
        String urlAt = at + ".image_url.url";
        if (part.imageUrl() == null || part.imageUrl().url() == null) {
            throw OpenAiException.invalidRequest(urlAt, "'image_url.url' is required.");
        }
        String url = part.imageUrl().url();
        if (!url.startsWith("data:")) {
            FetchedImage fetched = remoteImages.get(url);
            if (fetched == null) {
                pendingImages.add(new RemoteImageRef(url, urlAt));
                return PENDING_IMAGE;
            }
            return imageBlock(fetched.contentType(), fetched.bytes(), urlAt);
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !header.endsWith(";base64")) {
            throw OpenAiException.invalidRequest(urlAt, ErrorTypes.CODE_INVALID_VALUE,
                    "Image data URLs must be base64 encoded: data:image/<type>;base64,<data>.");
        }
        long approximateBytes = (url.length() - comma - 1) * 3L / 4;
        if (approximateBytes > MAX_IMAGE_BYTES + 3) {
            throw OpenAiException.invalidRequest(urlAt, "image_too_large", "The image is about " + approximateBytes
                    + " bytes; Bedrock takes images of at most " + MAX_IMAGE_BYTES + " bytes (3.75 MB).");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(url.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw OpenAiException.invalidRequest(urlAt, ErrorTypes.CODE_INVALID_VALUE,
                    "Image data is not valid base64.");
        }
        return imageBlock(header.substring(0, header.length() - ";base64".length()), bytes, urlAt);
    }

    /** Bedrock's limit for one image (3.75 MB); remote images are limited by {@code gateway.images.max-bytes}. */
    static final int MAX_IMAGE_BYTES = 3_932_160;

    private static ImageBlock imageBlock(String mime, byte[] bytes, String urlAt) {
        ImageFormat declared = switch (mime) {
            case "image/png" -> ImageFormat.PNG;
            case "image/jpeg", "image/jpg" -> ImageFormat.JPEG;
            case "image/gif" -> ImageFormat.GIF;
            case "image/webp" -> ImageFormat.WEBP;
            default -> throw OpenAiException.invalidRequest(urlAt, ErrorTypes.CODE_INVALID_VALUE,
                    "Image type '" + mime + "' is not supported; use image/png, image/jpeg, image/gif or image/webp.");
        };
        ImageFormat actual = ImageFormats.detect(bytes);
        if (actual != declared) {
            throw OpenAiException.invalidRequest(urlAt, ErrorTypes.CODE_INVALID_VALUE,
                    "Image data is not a " + mime + " image" + (actual == null ? "." : " (it is " + actual + ")."));
        }
        return ImageBlock.builder().format(declared).source(ImageSource.fromBytes(SdkBytes.fromByteArray(bytes)))
                .build();
    }

    private List<ContentBlock> assistantBlocks(ChatMessage.Assistant a, String at, Conversation conversation) {
        if (a.audio() != null && !a.audio().isNull()) {
            throw OpenAiException.invalidRequest(at + ".audio", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "Assistant audio is not supported by bedrock-gateway.");
        }
        if (a.functionCall() != null && !a.functionCall().isNull()) {
            throw OpenAiException.invalidRequest(at + ".function_call", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "'function_call' is deprecated and not supported; use 'tool_calls'.");
        }
        List<ContentBlock> blocks = reasoningBlocks(a.thinkingBlocks(), at + ".thinking_blocks");
        if (a.content() instanceof MessageContent.Text t) {
            if (!t.text().isBlank()) {
                blocks.add(ContentBlock.fromText(t.text()));
            }
        } else if (a.content() instanceof MessageContent.Parts p) {
            for (int j = 0; j < p.parts().size(); j++) {
                ContentPart part = p.parts().get(j);
                String text;
                if (part instanceof ContentPart.TextPart tp) {
                    text = tp.text();
                } else if (part instanceof ContentPart.RefusalPart rp) {
                    text = rp.refusal();
                } else {
                    throw OpenAiException.invalidRequest(at + ".content[" + j + "].type",
                            ErrorTypes.CODE_INVALID_VALUE,
                            "Assistant messages may only hold 'text' and 'refusal' parts.");
                }
                if (text != null && !text.isBlank()) {
                    blocks.add(ContentBlock.fromText(text));
                }
            }
        }
        if (a.refusal() != null && !a.refusal().isBlank()) {
            blocks.add(ContentBlock.fromText(a.refusal()));
        }
        List<ToolCall> calls = a.toolCalls() == null ? List.of() : a.toolCalls();
        for (int j = 0; j < calls.size(); j++) {
            blocks.add(toolUse(calls.get(j), at + ".tool_calls[" + j + "]", conversation));
        }
        return blocks;
    }

    /**
     * Earlier reasoning, sent back as LiteLLM's {@code thinking_blocks}: Bedrock requires it, signature included,
     * in an assistant turn that made tool calls while thinking. A bare {@code reasoning_content} has no signature
     * and cannot be sent back; it is left out.
     */
    private static List<ContentBlock> reasoningBlocks(List<ThinkingBlock> thinking, String at) {
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

    private ContentBlock toolUse(ToolCall call, String at, Conversation conversation) {
        if (call == null || call.function() == null) {
            throw OpenAiException.invalidRequest(at + ".function", "'function' is required in tool calls.");
        }
        if (call.id() == null || call.id().isBlank()) {
            throw OpenAiException.invalidRequest(at + ".id", "'id' is required in tool calls.");
        }
        if (call.type() != null && !"function".equals(call.type())) {
            throw OpenAiException.invalidRequest(at + ".type", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "Only tool calls of type 'function' are supported.");
        }
        String name = call.function().name();
        if (name == null || name.isBlank()) {
            throw OpenAiException.invalidRequest(at + ".function.name", "'function.name' is required in tool calls.");
        }
        JsonNode arguments = parseArguments(call.function().arguments(), at + ".function.arguments");
        conversation.toolUsed(name);
        if (conversation.flattenTools()) {
            return ContentBlock.fromText("[called tool " + name + " with " + arguments + "]");
        }
        return ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId(call.id()).name(name)
                .input(Documents.fromJson(arguments)).build());
    }

    private static JsonNode parseArguments(String arguments, String at) {
        if (arguments == null || arguments.isBlank()) {
            return JSON.createObjectNode();
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(arguments);
        } catch (JsonProcessingException e) {
            throw OpenAiException.invalidRequest(at, ErrorTypes.CODE_INVALID_VALUE,
                    "Tool call arguments must be a JSON object encoded as a string; this is not valid JSON.");
        }
        if (parsed == null || !parsed.isObject()) {
            throw OpenAiException.invalidRequest(at, ErrorTypes.CODE_INVALID_VALUE,
                    "Tool call arguments must be a JSON object encoded as a string.");
        }
        return parsed;
    }

    private ContentBlock toolResult(ChatMessage.Tool tool, String at, Conversation conversation) {
        if (tool.toolCallId() == null || tool.toolCallId().isBlank()) {
            throw OpenAiException.invalidRequest(at + ".tool_call_id", "'tool_call_id' is required for tool messages.");
        }
        List<String> texts = texts(tool.content(), at);
        conversation.toolResult();
        if (conversation.flattenTools()) {
            return ContentBlock.fromText("[tool result for " + tool.toolCallId() + ": " + String.join("\n", texts)
                    + "]");
        }
        List<ToolResultContentBlock> content = new ArrayList<>();
        texts.forEach(t -> content.add(ToolResultContentBlock.fromText(t)));
        return ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId(tool.toolCallId()).content(content)
                .build());
    }

    // ---- tools ---------------------------------------------------------------------------------------------

    private boolean toolChoiceIsNone() {
        JsonNode choice = request.toolChoice();
        return choice != null && choice.isTextual() && "none".equals(choice.textValue());
    }

    /**
     * Converse needs a {@code toolConfig} whenever the tools are offered and also whenever the history holds
     * toolUse/toolResult blocks. {@code tool_choice: none} has no Converse twin, so then no tool is offered at all
     * and earlier tool turns travel as text.
     */
    private ToolConfiguration toolConfig(Set<String> toolNamesInHistory, boolean none) {
        List<ChatCompletionRequest.Tool> tools = request.tools() == null ? List.of() : request.tools();
        List<Tool> specs = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            ChatCompletionRequest.Tool tool = tools.get(i);
            String at = "tools[" + i + "]";
            if (tool == null) {
                throw invalidType(at, "an object");
            }
            if (tool.type() != null && !"function".equals(tool.type())) {
                throw OpenAiException.invalidRequest(at + ".type", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                        "Only tools of type 'function' are supported.");
            }
            if (tool.function() == null || tool.function().name() == null || tool.function().name().isBlank()) {
                throw OpenAiException.invalidRequest(at + ".function.name", "'function.name' is required.");
            }
            JsonNode schema = tool.function().parameters();
            if (schema != null && !schema.isNull() && !schema.isObject()) {
                throw invalidType(at + ".function.parameters", "a JSON Schema object");
            }
            String name = tool.function().name();
            if (!declared.add(name)) {
                throw OpenAiException.invalidRequest(at + ".function.name", ErrorTypes.CODE_INVALID_VALUE,
                        "Tool names must be unique; '" + name + "' is declared twice.");
            }
            specs.add(toolSpec(name, tool.function().description(), schema));
        }
        ToolChoice choice = toolChoice(declared);
        if (structuredOutput != null && declared.contains(structuredOutput.toolName())) {
            throw invalidValue("response_format.json_schema.name", "'" + structuredOutput.toolName()
                    + "' is also the name of a declared tool");
        }
        if (none) {
            return structuredOutput == null ? null : ToolConfiguration.builder().tools(structuredOutput.tool())
                    .toolChoice(forced(structuredOutput.toolName())).build();
        }
        for (String used : toolNamesInHistory) {
            if (declared.add(used)) {
                specs.add(toolSpec(used, "Tool used earlier in this conversation.", null));
            }
        }
        if (structuredOutput != null) {
            boolean onlyTool = specs.isEmpty();
            specs.add(structuredOutput.tool());
            if (onlyTool) {
                choice = forced(structuredOutput.toolName());
            } else if (choice == null || choice.auto() != null) {
                // The answer is either a real tool call or the JSON answer: some tool must be called.
                choice = ToolChoice.fromAny(AnyToolChoice.builder().build());
            }
        }
        if (specs.isEmpty()) {
            return null;
        }
        ToolConfiguration.Builder config = ToolConfiguration.builder().tools(specs);
        if (choice != null) {
            config.toolChoice(choice);
        }
        return config.build();
    }

    private static ToolChoice forced(String name) {
        return ToolChoice.fromTool(SpecificToolChoice.builder().name(name).build());
    }

    private static Tool toolSpec(String name, String description, JsonNode schema) {
        JsonNode inputSchema = schema == null || schema.isNull()
                ? JSON.createObjectNode().put("type", "object").set("properties", JSON.createObjectNode())
                : schema;
        ToolSpecification.Builder spec = ToolSpecification.builder().name(name)
                .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(inputSchema)));
        if (description != null && !description.isBlank()) {
            spec.description(description);
        }
        return Tool.fromToolSpec(spec.build());
    }

    /** auto -> auto, required -> any, {function:{name}} -> tool; null when the model's default applies. */
    private ToolChoice toolChoice(Set<String> declared) {
        JsonNode choice = request.toolChoice();
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.textValue()) {
                case "none" -> null;
                case "auto" -> declared.isEmpty() ? null : ToolChoice.fromAuto(AutoToolChoice.builder().build());
                case "required" -> {
                    requireTools(declared);
                    yield ToolChoice.fromAny(AnyToolChoice.builder().build());
                }
                default -> throw invalidValue("tool_choice",
                        "'" + choice.textValue() + "' is not one of 'none', 'auto', 'required'");
            };
        }
        if (!choice.isObject()) {
            throw invalidType("tool_choice", "a string or an object");
        }
        String type = choice.path("type").asText("function");
        if (!"function".equals(type)) {
            params.unsupported("tool_choice", "of type '" + type + "' cannot be honoured on Amazon Bedrock");
            return null;
        }
        String name = choice.path("function").path("name").asText(null);
        if (name == null || name.isBlank()) {
            throw OpenAiException.invalidRequest("tool_choice.function.name", "'function.name' is required.");
        }
        requireTools(declared);
        if (!declared.contains(name)) {
            throw invalidValue("tool_choice.function.name", "'" + name + "' is not one of the declared tools");
        }
        return ToolChoice.fromTool(SpecificToolChoice.builder().name(name).build());
    }

    private static void requireTools(Set<String> declared) {
        if (declared.isEmpty()) {
            throw OpenAiException.invalidRequest("tool_choice", ErrorTypes.CODE_INVALID_VALUE,
                    "'tool_choice' requires 'tools' to be specified.");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static OpenAiException invalidValue(String param, String what) {
        return SamplingParams.invalidValue(param, what);
    }

    private static OpenAiException invalidType(String param, String expected) {
        return SamplingParams.invalidType(param, expected);
    }

    /**
     * Builds Bedrock's turn list: it requires alternating user/assistant turns, so consecutive messages of one
     * role (user+user, tool+tool, tool+user, assistant+assistant) merge into one turn, and messages whose content
     * is empty are left out. In a user turn, tool results come first, as Anthropic models require.
     */
    private static final class Conversation {
        private final boolean flattenTools;
        private final List<ConversationRole> roles = new ArrayList<>();
        private final List<List<ContentBlock>> turns = new ArrayList<>();
        private final Set<String> toolNames = new LinkedHashSet<>();
        private boolean toolResults;

        Conversation(boolean flattenTools) {
            this.flattenTools = flattenTools;
        }

        boolean flattenTools() {
            return flattenTools;
        }

        void toolUsed(String name) {
            toolNames.add(name);
        }

        void toolResult() {
            toolResults = true;
        }

        /** Names used by toolUse blocks; non-empty also when only toolResult blocks exist. */
        Set<String> toolNamesInHistory() {
            return toolNames;
        }

        void add(ConversationRole role, List<ContentBlock> blocks) {
            if (blocks.isEmpty()) {
                return;
            }
            int last = roles.size() - 1;
            if (last >= 0 && roles.get(last) == role) {
                turns.get(last).addAll(blocks);
            } else {
                roles.add(role);
                turns.add(new ArrayList<>(blocks));
            }
        }

        List<Message> messages() {
            List<Message> messages = new ArrayList<>(turns.size());
            for (int i = 0; i < turns.size(); i++) {
                List<ContentBlock> blocks = turns.get(i);
                if (roles.get(i) == ConversationRole.USER && toolResults) {
                    List<ContentBlock> ordered = new ArrayList<>(blocks.size());
                    blocks.stream().filter(b -> b.toolResult() != null).forEach(ordered::add);
                    blocks.stream().filter(b -> b.toolResult() == null).forEach(ordered::add);
                    blocks = ordered;
                }
                messages.add(Message.builder().role(roles.get(i)).content(blocks).build());
            }
            return messages;
        }
    }
}
