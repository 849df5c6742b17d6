package dev.bedrockgateway.anthropic;

/**
 * One server-sent event of Anthropic's Messages stream: {@code event: <type>} and {@code data: <json>}, the JSON's own
 * {@code "type"} being the same.
 *
 * @param type the event name ({@code message_start}, {@code content_block_delta}, ...)
 * @param data the event's JSON, as it is sent
 */
public record StreamEvent(String type, byte[] data) {
}
