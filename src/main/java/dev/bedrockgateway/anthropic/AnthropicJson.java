package dev.bedrockgateway.anthropic;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;

/**
 * Anthropic's and Bedrock's own JSON, read as trees and written back without loss: numbers keep their exact decimal
 * value ({@code 0.70} stays {@code 0.70}, a 20-digit integer stays itself), strings their exact characters and
 * objects their field order, so a request passed through to Bedrock carries what the client sent (thinking
 * signatures, tool inputs, {@code cache_control}) and not a re-interpretation of it. Only insignificant whitespace
 * and string escapes may differ from the client's bytes.
 */
public final class AnthropicJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // An emoji leaves as its four UTF-8 bytes, as the client sent it, not as two escaped surrogates.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    static {
        // A request body is bounded by gateway.limits.max-request-bytes; strings inside it (base64 PDFs) may use it all.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE).build());
    }

    /** One value in the middle of a document: what follows it is not trailing garbage. */
    private static final ObjectReader FIELD = MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AnthropicJson() {
    }

    /**
     * @throws OpenAiException 400 unless {@code body} is one JSON object
     */
    public static ObjectNode readObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw OpenAiException.invalidRequest(null, ErrorTypes.CODE_INVALID_JSON,
                    "The request body is empty; expected a JSON object.");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (StreamReadException e) {
            throw OpenAiException.invalidRequest(null, ErrorTypes.CODE_INVALID_JSON,
                    "The request body is not valid JSON: " + e.getOriginalMessage()
                            + (e.getLocation() == null ? "" : " (at line " + e.getLocation().getLineNr()
                                    + ", column " + e.getLocation().getColumnNr() + ")") + ".");
        } catch (IOException e) {
            throw OpenAiException.invalidRequest(null, ErrorTypes.CODE_INVALID_JSON,
                    "The request body is not valid JSON.");
        }
        if (!(node instanceof ObjectNode object)) {
            throw OpenAiException.invalidRequest(null, ErrorTypes.CODE_INVALID_JSON,
                    "The request body must be a JSON object.");
        }
        return object;
    }

    /** A JSON document Bedrock answered (a message, a stream event); null unless it is a JSON object. */
    public static ObjectNode parseAnswer(byte[] json) {
        try {
            return MAPPER.readTree(json) instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The value of one top-level field of a JSON object, read without building the rest (a Claude message's content,
     * a stream event's deltas); null when the document is not an object that has the field.
     */
    public static JsonNode field(byte[] json, String name) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals(name)) {
                    return FIELD.readTree(parser);
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
