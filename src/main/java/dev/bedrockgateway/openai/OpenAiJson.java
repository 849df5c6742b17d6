package dev.bedrockgateway.openai;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.pipeline.Parsed;

/**
 * The OpenAI wire format: snake_case names, strict types (no "0.5" for a number, no 1.5 for an integer, as OpenAI
 * itself refuses them), pre-built readers and writers. Fields OpenAI does not define are collected rather than
 * failing the parse, so {@code drop_params} can decide about them.
 */
public final class OpenAiJson {

    private static final String UNKNOWN = "unknown-params";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .addHandler(new UnknownFieldCollector())
            // Schubfach instead of Float.toString: an embedding is a thousand or more floats to print.
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private static final ObjectWriter WRITER = MAPPER.writer();

    private OpenAiJson() {
    }

    public static <T> ObjectReader readerFor(Class<T> type) {
        return MAPPER.readerFor(type);
    }

    /**
     * @throws OpenAiException 400 for anything but a JSON object of the right shape, naming the field
     */
    public static <T> Parsed<T> parse(ObjectReader reader, byte[] body) {
        if (body == null || body.length == 0) {
            throw OpenAiException.invalidRequest(null, ErrorTypes.CODE_INVALID_JSON,
                    "The request body is empty; expected a JSON object.");
        }
        List<String> unknown = new ArrayList<>(0);
        try {
            T value = reader.withAttribute(UNKNOWN, unknown).readValue(body);
            if (value == null) {
                throw OpenAiException.invalidRequest(null, ErrorTypes.CODE_INVALID_JSON,
                        "The request body must be a JSON object.");
            }
            return new Parsed<>(value, unknown);
        } catch (InvalidTypeIdException e) {
            throw invalidDiscriminator(e);
        } catch (JsonProcessingException e) {
            if (notJson(e)) {
                throw OpenAiException.invalidRequest(null, ErrorTypes.CODE_INVALID_JSON,
                        "We could not parse the JSON body of your request: " + e.getOriginalMessage()
                                + (e.getLocation() == null ? "" : " (at line " + e.getLocation().getLineNr()
                                        + ", column " + e.getLocation().getColumnNr() + ")")
                                + ". The body must be valid JSON.");
            }
            String param = e instanceof JsonMappingException m ? path(m) : null;
            if (e instanceof MismatchedInputException m) {
                throw OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_TYPE,
                        param == null ? "The request body must be a JSON object."
                                : "Invalid type for '" + param + "': expected " + expected(m.getTargetType()) + ".");
            }
            throw OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_VALUE,
                    "Invalid value" + (param == null ? "" : " for '" + param + "'") + ".");
        } catch (IOException e) {
            throw OpenAiException.invalidRequest(null, ErrorTypes.CODE_INVALID_JSON,
                    "The request body could not be read.");
        }
    }

    /** Syntax errors (also when a deserializer wrapped them) and trailing garbage after the object. */
    private static boolean notJson(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException) {
                return true;
            }
        }
        String message = e.getOriginalMessage();
        return message != null && message.startsWith("Trailing token");
    }

    /**
     * OpenAI's error body, {@code {"error":{"message","type","param","code"}}}: the one place it is written, for
     * errors answered by the API, by the HTTP layer and inside streams.
     */
    public static byte[] errorBody(String message, String type, String param, String code) {
        return write(new ErrorResponse(new ErrorResponse.Error(message, type, param, code)));
    }

    /** The error body of {@code e}. */
    public static byte[] errorBody(OpenAiException e) {
        return errorBody(e.getMessage(), e.type(), e.param(), e.code());
    }

    public static byte[] write(Object value) {
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response serialisation failed", e);
        }
    }

    /** A bad or missing {@code role} / content part {@code type}. */
    private static OpenAiException invalidDiscriminator(InvalidTypeIdException e) {
        String base = path(e);
        Class<?> type = e.getBaseType() == null ? null : e.getBaseType().getRawClass();
        String field = type == ChatMessage.class ? "role" : type == ContentPart.class ? "type" : "type";
        String param = base == null ? field : base + "." + field;
        String allowed = type == ChatMessage.class ? "'system', 'developer', 'user', 'assistant', 'tool'"
                : "'text', 'image_url', 'input_audio', 'file', 'refusal'";
        if (e.getTypeId() == null) {
            return OpenAiException.invalidRequest(param, "Missing required parameter: '" + param + "'.");
        }
        return OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_VALUE, "Invalid value: '"
                + e.getTypeId() + "'. Supported values are: " + allowed + ".");
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "another type";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == Integer.class || target == Long.class || target == int.class || target == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(target) || target == double.class || target == float.class) {
            return "a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "a boolean";
        }
        if (List.class.isAssignableFrom(target)) {
            return "an array";
        }
        if (target == MessageContent.class) {
            return "a string or an array of content parts";
        }
        return "an object";
    }

    /** Jackson's reference path as OpenAI writes params: {@code messages[0].content}. */
    static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    /**
     * Records fields OpenAI does not define, with their path, and skips their values. Records bind through
     * creators, which buffer unknown fields and replay them once the object has ended; the main parser then sits
     * just past the object, so the path is taken from there. Otherwise the field is handled in stream, with the
     * parser on its value.
     */
    private static final class UnknownFieldCollector extends DeserializationProblemHandler {
        @Override
        @SuppressWarnings("unchecked")
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
            Object sink = ctxt.getAttribute(UNKNOWN);
            if (sink instanceof List<?> list) {
                ((List<String>) list).add(join(ownerPath(ctxt.getParser()), propertyName));
            }
            p.skipChildren();
            return true;
        }

        private static String ownerPath(JsonParser main) {
            if (main.currentToken() == JsonToken.END_OBJECT) {
                return describe(main.getParsingContext());
            }
            JsonStreamContext context = main.getParsingContext();
            JsonToken token = main.currentToken();
            JsonStreamContext owner = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY
                    ? context.getParent() : context;
            return owner == null ? "" : describe(owner.getParent());
        }

        /** The path of the value a context is positioned on: {@code messages[0]}. */
        private static String describe(JsonStreamContext context) {
            StringBuilder out = new StringBuilder();
            for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
                if (c.inArray()) {
                    out.insert(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
                } else if (c.getCurrentName() != null) {
                    out.insert(0, "." + c.getCurrentName());
                }
            }
            return out.length() > 0 && out.charAt(0) == '.' ? out.substring(1) : out.toString();
        }

        private static String join(String owner, String leaf) {
            return owner.isEmpty() ? leaf : owner + "." + leaf;
        }
    }
}
