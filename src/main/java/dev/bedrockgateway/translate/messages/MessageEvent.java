package dev.bedrockgateway.translate.messages;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One server-sent event of an Anthropic Messages stream
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming).
 *
 * @param type the SSE {@code event:} name ({@code message_start}, {@code content_block_delta}, ...)
 * @param data the event's JSON, whose {@code type} is {@code type}
 */
public record MessageEvent(String type, ObjectNode data) {
}
