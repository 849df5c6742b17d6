package dev.bedrockgateway.api;

import java.util.Map;

/**
 * A refusal as one wire format writes it: status, headers and body.
 *
 * @param status the HTTP status (Anthropic's 529 where the format has it)
 * @param headers further headers ({@code Retry-After}, Bedrock's {@code x-amzn-ErrorType})
 * @param body the error document, {@code application/json}
 */
public record ErrorReply(int status, Map<String, String> headers, byte[] body) {
}
