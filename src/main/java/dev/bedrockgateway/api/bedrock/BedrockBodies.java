package dev.bedrockgateway.api.bedrock;

import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.OptionalInt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * The little the gateway reads of bodies it relays unchanged on Bedrock's own routes: the output a request allows (for
 * budgets and limits) and the tokens an answer reports (for metering). Each reads only the top-level fields it needs
 * with a streaming parser, skipping the rest (a conversation's images are never materialised); anything it cannot
 * read counts as absent, never as a failure of the relay.
 */
final class BedrockBodies {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String METRICS = "amazon-bedrock-invocationMetrics";

    /**
     * What one InvokeModelWithResponseStream chunk says: whether it is content; the tokens of the whole call if it
     * carries Bedrock's invocation metrics; Claude's own counts so far ({@code message_start}'s usage, a
     * {@code message_delta}'s output tokens), which are what was used when the stream ends before its metrics.
     */
    record Chunk(boolean content, TokenUsage usage, TokenUsage started, Integer outputSoFar) {
        static final Chunk NONE = new Chunk(false, null, null, null);
    }

    private BedrockBodies() {
    }

    /**
     * The most output tokens a request body allows: Anthropic's {@code max_tokens} (InvokeModel on Claude) or
     * Converse's {@code inferenceConfig.maxTokens}; empty when the body says neither or is not JSON.
     */
    static OptionalInt maxTokens(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return OptionalInt.empty();
            }
            OptionalInt found = OptionalInt.empty();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("max_tokens".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                    found = OptionalInt.of(p.getIntValue());
                } else if ("inferenceConfig".equals(name) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        if (p.nextToken() == JsonToken.VALUE_NUMBER_INT && "maxTokens".equals(inner)) {
                            found = OptionalInt.of(p.getIntValue());
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            return found;
        } catch (IOException | RuntimeException notJson) {
            return OptionalInt.empty();
        }
    }

    /**
     * The top-level {@code usage} of a Converse answer or of ConverseStream's {@code metadata} event
     * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html), or null.
     */
    static TokenUsage usage(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.START_OBJECT && "usage".equals(name)) {
                    return tokens(p, "inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens");
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    /**
     * InvokeModel's token counts, which Bedrock reports in response headers (names in lower case):
     * {@code x-amzn-bedrock-input-token-count}, {@code -output-token-count}, and for prompt caching
     * {@code x-amzn-bedrock-cache-read-input-token-count} and {@code -cache-write-input-token-count}; null without the
     * input count.
     */
    static TokenUsage invokeUsage(Map<String, String> headers) {
        Integer input = number(headers.get("x-amzn-bedrock-input-token-count"));
        if (input == null) {
            return null;
        }
        return TokenUsage.builder().inputTokens(input)
                .outputTokens(orZero(number(headers.get("x-amzn-bedrock-output-token-count"))))
                .cacheReadInputTokens(number(headers.get("x-amzn-bedrock-cache-read-input-token-count")))
                .cacheWriteInputTokens(number(headers.get("x-amzn-bedrock-cache-write-input-token-count")))
                .build();
    }

    /**
     * One {@code chunk} event's payload, {@code {"bytes":"<base64 of the model's own event>"}}: content when the
     * model's event is a content delta (Claude's {@code content_block_delta}; any event of a model family without
     * Claude's {@code type}, but a start); the tokens of the whole call when it carries Bedrock's
     * {@code amazon-bedrock-invocationMetrics} (the last chunk does,
     * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html).
     */
    static Chunk chunk(byte[] payload) {
        byte[] event = chunkBytes(payload);
        if (event == null) {
            return Chunk.NONE;
        }
        try (JsonParser p = JSON.createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Chunk(true, null, null, null);
            }
            String type = null;
            boolean start = false;
            boolean other = false;
            TokenUsage metrics = null;
            TokenUsage started = null;
            TokenUsage delta = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
                    type = p.getText();
                } else if (METRICS.equals(name) && value == JsonToken.START_OBJECT) {
                    metrics = tokens(p, "inputTokenCount", "outputTokenCount", "cacheReadInputTokenCount",
                            "cacheWriteInputTokenCount");
                } else if ("message".equals(name) && value == JsonToken.START_OBJECT) {
                    started = claudeUsage(p);
                } else if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
                    delta = claudeTokens(p);
                } else {
                    start |= "messageStart".equals(name);
                    other = true;
                    p.skipChildren();
                }
            }
            boolean content = type != null ? type.equals("content_block_delta") : other && !start;
            return new Chunk(content, metrics, "message_start".equals(type) ? started : null,
                    "message_delta".equals(type) && delta != null ? delta.outputTokens() : null);
        } catch (IOException | RuntimeException notJson) {
            return Chunk.NONE;
        }
    }

    /** The {@code usage} of the Claude message object the parser is in. */
    private static TokenUsage claudeUsage(JsonParser p) throws IOException {
        TokenUsage usage = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.START_OBJECT && "usage".equals(name)) {
                usage = claudeTokens(p);
            } else {
                p.skipChildren();
            }
        }
        return usage;
    }

    /** Anthropic's usage object: input without the prompt cache's reads and writes, as Bedrock's own counts. */
    private static TokenUsage claudeTokens(JsonParser p) throws IOException {
        return tokens(p, "input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens");
    }

    private static byte[] chunkBytes(byte[] payload) {
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_STRING && "bytes".equals(name)) {
                    return Base64.getDecoder().decode(p.getText());
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    /** The object the parser is at, read for four counts: input, output, cache read, cache write. */
    private static TokenUsage tokens(JsonParser p, String input, String output, String cacheRead, String cacheWrite)
            throws IOException {
        Integer in = null;
        Integer out = null;
        Integer read = null;
        Integer write = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                p.skipChildren();
                continue;
            }
            int value = p.getIntValue();
            if (name.equals(input)) {
                in = value;
            } else if (name.equals(output)) {
                out = value;
            } else if (name.equals(cacheRead)) {
                read = value;
            } else if (name.equals(cacheWrite)) {
                write = value;
            }
        }
        if (in == null && out == null) {
            return null;
        }
        return TokenUsage.builder().inputTokens(orZero(in)).outputTokens(orZero(out)).cacheReadInputTokens(read)
                .cacheWriteInputTokens(write).build();
    }

    private static Integer number(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Integer.valueOf(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
