package dev.bedrockgateway.bedrock;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.eventstream.Message;

/**
 * Cuts an event-stream body into its frames as its bytes arrive, keeping each frame's own bytes. The SDK's
 * {@code MessageDecoder} hands out decoded messages only, so the frame boundaries are read here from each prelude's
 * total length (its first four bytes, big-endian), and {@link Message#decode} checks each frame (both CRCs) and
 * decodes it. A per-stream object.
 */
public final class EventFrameReader {

    /** Prelude (12 bytes) and message CRC (4): the smallest frame. */
    static final int MIN_FRAME = 16;
    /** Larger than any frame the format allows (16 MB of payload, 128 KB of headers). */
    static final int MAX_FRAME = 24 * 1024 * 1024;

    private byte[] pending = new byte[0];
    private int length;

    /**
     * The frames {@code bytes} completes, in order.
     *
     * @throws IllegalStateException when the bytes are not an event stream (impossible length, CRC mismatch)
     */
    public List<EventFrame> feed(ByteBuffer bytes) {
        append(bytes);
        List<EventFrame> frames = null;
        int offset = 0;
        while (length - offset >= 4) {
            int total = ((pending[offset] & 0xff) << 24) | ((pending[offset + 1] & 0xff) << 16)
                    | ((pending[offset + 2] & 0xff) << 8) | (pending[offset + 3] & 0xff);
            if (total < MIN_FRAME || total > MAX_FRAME) {
                throw new IllegalStateException("Not an event stream frame: total length " + total);
            }
            if (length - offset < total) {
                break;
            }
            byte[] frame = new byte[total];
            System.arraycopy(pending, offset, frame, 0, total);
            Message message;
            try {
                message = Message.decode(ByteBuffer.wrap(frame));
            } catch (RuntimeException e) {
                throw new IllegalStateException("Corrupt event stream frame: " + e.getMessage(), e);
            }
            if (frames == null) {
                frames = new ArrayList<>(2);
            }
            frames.add(new EventFrame(Buffer.buffer(frame), message));
            offset += total;
        }
        if (offset > 0) {
            System.arraycopy(pending, offset, pending, 0, length - offset);
            length -= offset;
        }
        return frames == null ? List.of() : frames;
    }

    /** Bytes of a frame not complete yet: at the end of the body, a truncated stream. */
    public int incomplete() {
        return length;
    }

    private void append(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (length + n > pending.length) {
            byte[] grown = new byte[Math.max(length + n, Math.min(pending.length * 2, MAX_FRAME + 65536))];
            System.arraycopy(pending, 0, grown, 0, length);
            pending = grown;
        }
        bytes.get(pending, length, n);
        length += n;
    }
}
