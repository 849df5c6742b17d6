package dev.bedrockgateway.testing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proves that {@link OpenAiSchemas} accepts what OpenAI's schema allows and catches what it does not. */
class OpenAiSchemasTest {

    private static final String CHAT_COMPLETION = """
            {
              "id": "chatcmpl-123",
              "object": "chat.completion",
              "created": 1741570283,
              "model": "anthropic.claude-3-haiku-20240307-v1:0",
              "choices": [
                {
                  "index": 0,
                  "message": {"role": "assistant", "content": "Hello there!", "refusal": null},
                  "finish_reason": "stop",
                  "logprobs": null
                }
              ],
              "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}
            }
            """;

    private static final String CHAT_COMPLETION_TOOL_CALLS = """
            {
              "id": "chatcmpl-456",
              "object": "chat.completion",
              "created": 1741570283,
              "model": "m",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": null,
                    "refusal": null,
                    "tool_calls": [
                      {"id": "call_1", "type": "function",
                       "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}
                    ]
                  },
                  "finish_reason": "tool_calls",
                  "logprobs": null
                }
              ],
              "usage": {"prompt_tokens": 20, "completion_tokens": 10, "total_tokens": 30}
            }
            """;

    // As OpenAI streams them: finish_reason/logprobs null until the end, usage null unless it is the usage chunk.
    private static final String CHUNK = """
            {
              "id": "chatcmpl-123",
              "object": "chat.completion.chunk",
              "created": 1741570283,
              "model": "m",
              "choices": [
                {"index": 0, "delta": {"role": "assistant", "content": "Hel"}, "logprobs": null, "finish_reason": null}
              ],
              "usage": null
            }
            """;

    private static final String LAST_CHUNK = """
            {
              "id": "chatcmpl-123",
              "object": "chat.completion.chunk",
              "created": 1741570283,
              "model": "m",
              "choices": [],
              "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}
            }
            """;

    private static final String CHUNK_TOOL_CALL_WITHOUT_INDEX = """
            {
              "id": "chatcmpl-123",
              "object": "chat.completion.chunk",
              "created": 1741570283,
              "model": "m",
              "choices": [
                {
                  "index": 0,
                  "delta": {"tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": ""}}]},
                  "finish_reason": null
                }
              ]
            }
            """;

    private static final String EMBEDDINGS = """
            {
              "object": "list",
              "data": [
                {"object": "embedding", "index": 0, "embedding": [0.0023064255, -0.009327292, 0.015797347]},
                {"object": "embedding", "index": 1, "embedding": [0.1, 0, -1]}
              ],
              "model": "amazon.titan-embed-text-v2:0",
              "usage": {"prompt_tokens": 8, "total_tokens": 8}
            }
            """;

    private static final String MODELS = """
            {
              "object": "list",
              "data": [
                {"id": "claude-3-haiku", "object": "model", "created": 1686935002, "owned_by": "bedrock"},
                {"id": "titan-embed", "object": "model", "created": 0, "owned_by": "bedrock"}
              ]
            }
            """;

    private static final String ERROR = """
            {"error": {"message": "The model `x` does not exist", "type": "invalid_request_error", "param": null, "code": null}}
            """;

    @Test
    void validChatCompletionPasses() {
        assertEquals(List.of(), OpenAiSchemas.violations("CreateChatCompletionResponse", CHAT_COMPLETION));
        OpenAiSchemas.assertValid("CreateChatCompletionResponse", CHAT_COMPLETION);
    }

    @Test
    void chatCompletionWithToolCallsPassesDespiteDiscriminator() {
        // ChatCompletionMessageToolCalls is a oneOf with an OpenAPI discriminator, which must be ignored.
        OpenAiSchemas.assertValid("CreateChatCompletionResponse", CHAT_COMPLETION_TOOL_CALLS);
        String badToolType = CHAT_COMPLETION_TOOL_CALLS.replace("\"type\": \"function\"", "\"type\": \"tool\"");
        assertFalse(OpenAiSchemas.violations("CreateChatCompletionResponse", badToolType).isEmpty());
    }

    @Test
    void bedrockFinishReasonIsRejected() {
        List<String> violations = OpenAiSchemas.violations("CreateChatCompletionResponse",
                CHAT_COMPLETION.replace("\"finish_reason\": \"stop\"", "\"finish_reason\": \"end_turn\""));
        assertEquals(1, violations.size(), violations::toString);
        assertMentions(violations, "$.choices[0].finish_reason");
    }

    @Test
    void missingRequiredNullableLogprobsIsRejected() {
        List<String> violations = OpenAiSchemas.violations("CreateChatCompletionResponse",
                CHAT_COMPLETION.replace(",\n      \"logprobs\": null", ""));
        assertEquals(1, violations.size(), violations::toString);
        assertMentions(violations, "$.choices[0]", "logprobs");
    }

    @Test
    void missingRequiredNullableMessageContentIsRejected() {
        List<String> violations = OpenAiSchemas.violations("CreateChatCompletionResponse",
                CHAT_COMPLETION.replace("\"content\": \"Hello there!\", ", ""));
        assertMentions(violations, "$.choices[0].message", "content");
    }

    @Test
    void undeclaredPropertiesAreAllowedWhereTheSchemaAllowsThem() {
        OpenAiSchemas.assertValid("CreateChatCompletionResponse",
                CHAT_COMPLETION.replace("\"id\": \"chatcmpl-123\",", "\"id\": \"chatcmpl-123\", \"x_gateway\": {\"a\": 1},"));
    }

    @Test
    void validChunksPass() {
        // finish_reason, logprobs and usage are "nullable: true" in OpenAI's document: null must be accepted.
        OpenAiSchemas.assertValid("CreateChatCompletionStreamResponse", CHUNK);
        OpenAiSchemas.assertValid("CreateChatCompletionStreamResponse", LAST_CHUNK);
        OpenAiSchemas.assertValid("CreateChatCompletionStreamResponse",
                CHUNK.replace("\"finish_reason\": null", "\"finish_reason\": \"length\""));
    }

    @Test
    void chunkFinishReasonIsStillAnEnum() {
        List<String> violations = OpenAiSchemas.violations("CreateChatCompletionStreamResponse",
                CHUNK.replace("\"finish_reason\": null", "\"finish_reason\": \"max_tokens\""));
        assertMentions(violations, "$.choices[0].finish_reason");
    }

    @Test
    void chunkToolCallWithoutIndexIsRejected() {
        List<String> violations = OpenAiSchemas.violations("CreateChatCompletionStreamResponse", CHUNK_TOOL_CALL_WITHOUT_INDEX);
        assertEquals(1, violations.size(), violations::toString);
        assertMentions(violations, "$.choices[0].delta.tool_calls[0]", "index");
        OpenAiSchemas.assertValid("CreateChatCompletionStreamResponse",
                CHUNK_TOOL_CALL_WITHOUT_INDEX.replace("{\"id\": \"call_1\"", "{\"index\": 0, \"id\": \"call_1\""));
    }

    @Test
    void chunkWithWrongObjectIsRejected() {
        List<String> violations = OpenAiSchemas.violations("CreateChatCompletionStreamResponse",
                CHUNK.replace("chat.completion.chunk", "chat.completion"));
        assertMentions(violations, "$.object");
    }

    @Test
    void validEmbeddingsPass() {
        OpenAiSchemas.assertValid("CreateEmbeddingResponse", EMBEDDINGS);
    }

    @Test
    void stringEmbeddingIsRejectedBecauseTheSchemaOnlyAllowsNumberArrays() {
        // OpenAI's Embedding schema declares embedding as "array of number" only: base64 output
        // (encoding_format=base64) is not described by the spec, so it does not validate.
        List<String> violations = OpenAiSchemas.violations("CreateEmbeddingResponse",
                EMBEDDINGS.replace("[0.0023064255, -0.009327292, 0.015797347]", "\"AACAPwAAAEA=\""));
        assertEquals(1, violations.size(), violations::toString);
        assertMentions(violations, "$.data[0].embedding");
    }

    @Test
    void validModelsPass() {
        OpenAiSchemas.assertValid("ListModelsResponse", MODELS);
        OpenAiSchemas.assertValid("Model", "{\"id\": \"m\", \"object\": \"model\", \"created\": 1, \"owned_by\": \"me\"}");
    }

    @Test
    void modelWithoutOwnedByIsRejected() {
        List<String> violations = OpenAiSchemas.violations("ListModelsResponse",
                MODELS.replace(", \"owned_by\": \"bedrock\"}", "}"));
        assertEquals(2, violations.size(), violations::toString);
        assertMentions(violations, "$.data[0]", "owned_by");
        assertMentions(violations, "$.data[1]", "owned_by");
    }

    @Test
    void validErrorPasses() {
        OpenAiSchemas.assertValid("ErrorResponse", ERROR);
        OpenAiSchemas.assertValid("ErrorResponse", ERROR.replace("\"param\": null", "\"param\": \"model\"")
                .replace("\"code\": null", "\"code\": \"model_not_found\""));
    }

    @Test
    void errorWithoutParamIsRejected() {
        List<String> violations = OpenAiSchemas.violations("ErrorResponse", ERROR.replace("\"param\": null, ", ""));
        assertEquals(1, violations.size(), violations::toString);
        assertMentions(violations, "$.error", "param");
    }

    @Test
    void errorWithNumericCodeIsRejected() {
        List<String> violations = OpenAiSchemas.violations("ErrorResponse", ERROR.replace("\"code\": null", "\"code\": 404"));
        assertMentions(violations, "$.error.code");
    }

    @Test
    void legacyCompletionPasses() {
        OpenAiSchemas.assertValid("CreateCompletionResponse", """
                {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "m",
                 "choices": [{"text": "hi", "index": 0, "logprobs": null, "finish_reason": "length"}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                """);
    }

    @Test
    void assertValidListsEveryViolationWithItsPath() {
        String broken = CHAT_COMPLETION
                .replace("\"finish_reason\": \"stop\"", "\"finish_reason\": \"end_turn\"")
                .replace("\"created\": 1741570283", "\"created\": \"yesterday\"");
        AssertionError error = assertThrows(AssertionError.class,
                () -> OpenAiSchemas.assertValid("CreateChatCompletionResponse", broken));
        assertTrue(error.getMessage().contains("$.choices[0].finish_reason"), error.getMessage());
        assertTrue(error.getMessage().contains("$.created"), error.getMessage());
        assertTrue(error.getMessage().contains("2 violations"), error.getMessage());
    }

    @Test
    void malformedJsonIsAViolation() {
        assertMentions(OpenAiSchemas.violations("ErrorResponse", "data: " + ERROR), "not a single valid JSON value");
        assertMentions(OpenAiSchemas.violations("ErrorResponse", ERROR + ERROR), "not a single valid JSON value");
        assertMentions(OpenAiSchemas.violations("ErrorResponse",
                "{\"error\": {\"message\": \"a\", \"message\": \"b\", \"type\": \"t\", \"param\": null, \"code\": null}}"),
                "not a single valid JSON value", "message");
    }

    @Test
    void unknownSchemaNameIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenAiSchemas.violations("CreateResponse", "{}"));
        assertTrue(e.getMessage().contains("CreateChatCompletionResponse"), e.getMessage());
    }

    @Test
    void extractShipsWithItsLicence() {
        assertNotNull(OpenAiSchemas.class.getResource("/openai/LICENSE"));
        assertTrue(OpenAiSchemas.schemaNames().containsAll(List.of("CreateChatCompletionResponse",
                "CreateChatCompletionStreamResponse", "CreateCompletionResponse", "CreateEmbeddingResponse",
                "ListModelsResponse", "Model", "ErrorResponse")));
    }

    @Test
    void usableFromSeveralThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = IntStream.range(0, 40)
                    .mapToObj(i -> pool.submit(() -> i % 2 == 0
                            ? OpenAiSchemas.violations("CreateChatCompletionStreamResponse", CHUNK)
                            : OpenAiSchemas.violations("ErrorResponse", ERROR.replace("\"param\": null, ", ""))))
                    .toList();
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i % 2 == 0 ? 0 : 1, results.get(i).get().size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertMentions(List<String> violations, String... fragments) {
        assertFalse(violations.isEmpty(), "expected violations");
        boolean found = violations.stream().anyMatch(v -> {
            for (String fragment : fragments) {
                if (!v.contains(fragment)) {
                    return false;
                }
            }
            return true;
        });
        assertTrue(found, () -> "no violation mentions all of " + List.of(fragments) + ": " + violations);
    }
}
