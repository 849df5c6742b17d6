package dev.bedrockgateway.governance.store;

import java.time.Instant;

/**
 * One request's line in the spend log (LiteLLM's {@code LiteLLM_SpendLogs}).
 *
 * @param requestId the gateway's request id ({@code x-request-id})
 * @param callType the endpoint ({@code chat.completions}, {@code embeddings} ...)
 * @param apiKey hex SHA-256 of the virtual key
 * @param teamId the key's team, or null
 * @param userId the key's user, or null
 * @param model the model name the client asked for
 * @param bedrockModel the Bedrock model id or inference profile actually called, or null if none was
 * @param promptTokens input tokens, cache reads and writes included
 * @param completionTokens output tokens
 * @param cacheReadTokens input tokens read from Bedrock's prompt cache
 * @param cacheWriteTokens input tokens written to Bedrock's prompt cache
 * @param spend cost in USD
 * @param status {@code success} or {@code failure}
 * @param httpStatus the HTTP status the client got (499 when it went away)
 * @param startTime when the request arrived
 * @param endTime when its answer ended
 */
public record SpendRow(String requestId, String callType, String apiKey, String teamId, String userId, String model,
        String bedrockModel, long promptTokens, long completionTokens, long cacheReadTokens, long cacheWriteTokens,
        double spend, String status, int httpStatus, Instant startTime, Instant endTime) {
}
