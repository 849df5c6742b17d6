package dev.bedrockgateway.api;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;

/**
 * Server-sent events that name their type, as Anthropic's Messages stream and OpenAI's Responses stream write them:
 * {@code event: <type>}, {@code data: <json>}, a blank line.
 */
public final class NamedEvents {

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private NamedEvents() {
    }

    public static Buffer frame(String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        return Buffer.buffer(EVENT.length + name.length + DATA.length + data.length + END.length)
                .appendBytes(EVENT).appendBytes(name).appendBytes(DATA).appendBytes(data).appendBytes(END);
    }
}
