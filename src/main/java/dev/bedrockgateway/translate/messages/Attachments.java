package dev.bedrockgateway.translate.messages;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.images.ImageType;
import dev.bedrockgateway.translate.DocumentNames;
import dev.bedrockgateway.translate.Invalid;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;

/**
 * Anthropic {@code image} and {@code document} blocks -> Converse image and document blocks
 * (https://docs.anthropic.com/en/api/messages, https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageBlock.html,
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html).
 * <ul>
 * <li>Images: {@code base64} sources of Anthropic's four types, checked against their bytes as Anthropic checks them;
 * {@code url} and {@code file} sources are refused, since this path fetches nothing (Converse takes bytes or S3
 * locations only).</li>
 * <li>Documents: a {@code base64} PDF -> {@code pdf} bytes, a {@code text} source -> {@code txt} bytes; {@code title}
 * -> the {@code name} Converse requires ({@link DocumentNames}), {@code context} -> {@code context}. {@code content},
 * {@code url} and {@code file} sources and {@code citations.enabled: true} are refused: the first has no Converse
 * twin, the next two would need a fetch, and citations for these models cannot be mapped back to Anthropic's citation
 * objects.</li>
 * </ul>
 * Per-request state: the document names already used.
 */
final class Attachments {

    /** Bedrock's limit for one image (3.75 MB). */
    static final int MAX_IMAGE_BYTES = 3_932_160;

    private static final Set<String> IMAGE_FIELDS = Set.of("type", "source", "cache_control");
    private static final Set<String> DOCUMENT_FIELDS = Set.of("type", "source", "cache_control", "citations",
            "context", "title");
    private static final Set<String> BASE64_SOURCE_FIELDS = Set.of("type", "media_type", "data");
    private static final Set<String> CITATIONS_FIELDS = Set.of("enabled");
    /** Anthropic's image media types: {@code image/jpg} and parameters are refused, as Anthropic refuses them. */
    private static final Set<String> IMAGE_MEDIA_TYPES = Set.of("image/jpeg", "image/png", "image/gif",
            "image/webp");

    private final DocumentNames documentNames = new DocumentNames();

    ImageBlock image(ObjectNode block, String at) {
        Fields.only(block, at, IMAGE_FIELDS);
        String sourceAt = Fields.path(at, "source");
        ObjectNode source = Fields.object(Fields.required(block, "source", at), sourceAt);
        String type = Fields.type(source, sourceAt);
        if (!"base64".equals(type)) {
            throw notFetched(Fields.path(sourceAt, "type"), type, "image", "'base64'");
        }
        Fields.only(source, sourceAt, BASE64_SOURCE_FIELDS);
        String mediaType = Fields.requiredText(source, "media_type", sourceAt);
        if (!IMAGE_MEDIA_TYPES.contains(mediaType)) {
            throw Invalid.value(Fields.path(sourceAt, "media_type"), "'" + mediaType + "' is not one of "
                    + ImageType.SUPPORTED);
        }
        String dataAt = Fields.path(sourceAt, "data");
        String data = Fields.requiredText(source, "data", sourceAt);
        long approximateBytes = data.length() * 3L / 4;
        if (approximateBytes > MAX_IMAGE_BYTES + 3) {
            throw OpenAiException.invalidRequest(dataAt, "image_too_large", dataAt + ": the image is about "
                    + approximateBytes + " bytes; Amazon Bedrock takes images of at most " + MAX_IMAGE_BYTES
                    + " bytes (3.75 MB).");
        }
        byte[] bytes = base64(data, dataAt);
        ImageType declared = ImageType.ofMediaType(mediaType).orElseThrow();
        ImageType actual = ImageType.detect(bytes).orElse(null);
        if (actual != declared) {
            throw OpenAiException.invalidRequest(dataAt, ErrorTypes.CODE_INVALID_VALUE, dataAt
                    + ": the image data is not " + mediaType + (actual == null ? "." : " (it is " + actual.mediaType()
                            + ")."));
        }
        return ImageBlock.builder().format(declared.format())
                .source(ImageSource.fromBytes(SdkBytes.fromByteArrayUnsafe(bytes))).build();
    }

    DocumentBlock document(ObjectNode block, String at) {
        Fields.only(block, at, DOCUMENT_FIELDS);
        citations(block, at);
        String sourceAt = Fields.path(at, "source");
        ObjectNode source = Fields.object(Fields.required(block, "source", at), sourceAt);
        String type = Fields.type(source, sourceAt);
        if ("content".equals(type)) {
            throw Fields.unsupported(Fields.path(sourceAt, "type"), "'content' document sources have no Amazon"
                    + " Bedrock Converse twin; send the text as a 'text' source.");
        }
        if (!"base64".equals(type) && !"text".equals(type)) {
            throw notFetched(Fields.path(sourceAt, "type"), type, "document", "'base64' (PDF) or 'text'");
        }
        DocumentBlock.Builder document = DocumentBlock.builder();
        Fields.only(source, sourceAt, BASE64_SOURCE_FIELDS);
        String mediaType = Fields.requiredText(source, "media_type", sourceAt);
        String data = Fields.requiredText(source, "data", sourceAt);
        switch (type) {
            case "base64" -> {
                if (!"application/pdf".equals(mediaType)) {
                    throw Invalid.value(Fields.path(sourceAt, "media_type"), "'" + mediaType
                            + "' is not 'application/pdf'");
                }
                document.format(DocumentFormat.PDF).source(DocumentSource.fromBytes(
                        SdkBytes.fromByteArrayUnsafe(base64(data, Fields.path(sourceAt, "data")))));
            }
            default -> {
                if (!"text/plain".equals(mediaType)) {
                    throw Invalid.value(Fields.path(sourceAt, "media_type"), "'" + mediaType + "' is not 'text/plain'");
                }
                document.format(DocumentFormat.TXT).source(DocumentSource.fromBytes(
                        SdkBytes.fromByteArrayUnsafe(data.getBytes(StandardCharsets.UTF_8))));
            }
        }
        document.name(documentNames.next(Fields.optionalText(block, "title", at)));
        String context = Fields.optionalText(block, "context", at);
        if (context != null && !context.isBlank()) {
            document.context(context);
        }
        return document.build();
    }

    private static void citations(ObjectNode block, String at) {
        JsonNode citations = Fields.optional(block, "citations");
        if (citations == null) {
            return;
        }
        String citationsAt = Fields.path(at, "citations");
        ObjectNode object = Fields.object(citations, citationsAt);
        Fields.only(object, citationsAt, CITATIONS_FIELDS);
        if (Fields.optionalBoolean(object, "enabled", citationsAt)) {
            throw Fields.unsupported(Fields.path(citationsAt, "enabled"), "citations are not available for this"
                    + " model through Amazon Bedrock Converse.");
        }
    }

    private static byte[] base64(String data, String at) {
        try {
            return Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw OpenAiException.invalidRequest(at, ErrorTypes.CODE_INVALID_VALUE, at + ": not valid base64.");
        }
    }

    private static OpenAiException notFetched(String at, String type, String what, String allowed) {
        if ("url".equals(type) || "file".equals(type)) {
            return Fields.unsupported(at, "'" + type + "' " + what + " sources are not supported for this model:"
                    + " the gateway does not fetch content; send the " + what + " as " + allowed + " data.");
        }
        return Invalid.value(at, "'" + type + "' is not one of " + allowed);
    }
}
