package dev.bedrockgateway.openai;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One element of an array {@code content}, told apart by {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ContentPart.TextPart.class, name = "text"),
        @JsonSubTypes.Type(value = ContentPart.ImagePart.class, name = "image_url"),
        @JsonSubTypes.Type(value = ContentPart.AudioPart.class, name = "input_audio"),
        @JsonSubTypes.Type(value = ContentPart.FilePart.class, name = "file"),
        @JsonSubTypes.Type(value = ContentPart.RefusalPart.class, name = "refusal") })
public sealed interface ContentPart {

    @RegisterForReflection
    /** {@code cache_control} ({@code {"type":"ephemeral"}}) marks a prompt-cache checkpoint after this part. */
    record TextPart(String text, JsonNode cacheControl) implements ContentPart {
    }

    @RegisterForReflection
    record ImagePart(ImageUrl imageUrl, JsonNode cacheControl) implements ContentPart {
    }

    @RegisterForReflection
    record ImageUrl(String url, String detail) {
    }

    @RegisterForReflection
    record AudioPart(JsonNode inputAudio) implements ContentPart {
    }

    /** {@code cache_control} as on a text part. */
    @RegisterForReflection
    record FilePart(FileObject file, JsonNode cacheControl) implements ContentPart {
    }

    /** A file sent inline ({@code file_data}, a base64 data URL) or by the id of an upload ({@code file_id}). */
    @RegisterForReflection
    record FileObject(String fileData, String fileId, String filename) {
    }

    @RegisterForReflection
    record RefusalPart(String refusal) implements ContentPart {
    }
}
