package dev.bedrockgateway.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * One frame of an {@code application/vnd.amazon.eventstream} body, as Bedrock sent it ({@link #bytes}, relayed
 * unchanged) and as decoded ({@link #message}, read for usage and first content). The format:
 * https://docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html#streaming-event-stream (prelude, headers,
 * payload, CRCs).
 */
public record EventFrame(Buffer bytes, Message message) {

    public static final String MESSAGE_TYPE = ":message-type";
    public static final String EVENT_TYPE = ":event-type";
    public static final String EXCEPTION_TYPE = ":exception-type";

    /** {@code event}, {@code exception} or {@code error}. */
    public String messageType() {
        return header(MESSAGE_TYPE);
    }

    /** An event's {@code :event-type} ({@code contentBlockDelta}, {@code chunk}, ...), else null. */
    public String eventType() {
        return header(EVENT_TYPE);
    }

    /** An exception's {@code :exception-type} ({@code throttlingException}, ...), else null. */
    public String exceptionType() {
        return header(EXCEPTION_TYPE);
    }

    public boolean isException() {
        return "exception".equals(messageType());
    }

    public byte[] payload() {
        return message.getPayload();
    }

    private String header(String name) {
        HeaderValue value = message.getHeaders().get(name);
        return value == null ? null : value.getString();
    }

    /**
     * An exception frame of the gateway's own, as Bedrock writes one when a stream fails after it started:
     * {@code :exception-type} is the stream union's member name ({@code internalServerException}), which is what the
     * AWS SDKs match it by.
     */
    public static EventFrame exception(String exceptionType, String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(MESSAGE_TYPE, HeaderValue.fromString("exception"));
        headers.put(EXCEPTION_TYPE, HeaderValue.fromString(exceptionType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        byte[] payload = ("{\"message\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message))
                + "\"}").getBytes(StandardCharsets.UTF_8);
        Message frame = new Message(headers, payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 128);
        frame.encode(out);
        return new EventFrame(Buffer.buffer(out.toByteArray()), frame);
    }
}
