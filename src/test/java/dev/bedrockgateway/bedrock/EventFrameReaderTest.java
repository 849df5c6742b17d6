package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.testing.EventStreamFrames;

/** Frames cut out of an event stream however its bytes arrive, each with its own bytes unchanged. */
class EventFrameReaderTest {

    private static final byte[] STREAM = EventStreamFrames.stream().start().text(0, "Hel").text(0, "lo").stop(0)
            .messageStop("end_turn").metadata(3, 2).bytes();

    @Test
    void anyCutOfTheBytesGivesTheSameFramesWithTheirOriginalBytes() {
        for (int size : new int[] {1, 3, 7, 16, 50, STREAM.length}) {
            EventFrameReader reader = new EventFrameReader();
            List<EventFrame> frames = new ArrayList<>();
            for (int i = 0; i < STREAM.length; i += size) {
                frames.addAll(reader.feed(ByteBuffer.wrap(Arrays.copyOfRange(STREAM, i,
                        Math.min(STREAM.length, i + size)))));
            }
            assertEquals(0, reader.incomplete());
            assertEquals(6, frames.size(), "cut every " + size);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            frames.forEach(f -> joined.writeBytes(f.bytes().getBytes()));
            assertArrayEquals(STREAM, joined.toByteArray());
            assertEquals("messageStart", frames.get(0).eventType());
            assertEquals("event", frames.get(0).messageType());
            assertEquals("metadata", frames.get(5).eventType());
        }
    }

    @Test
    void aTruncatedStreamLeavesBytesBehind() {
        EventFrameReader reader = new EventFrameReader();
        assertEquals(5, reader.feed(ByteBuffer.wrap(Arrays.copyOf(STREAM, STREAM.length - 3))).size());
        assertTrue(reader.incomplete() > 0);
    }

    @Test
    void bytesThatAreNoEventStreamAreRefused() {
        assertThrows(IllegalStateException.class,
                () -> new EventFrameReader().feed(ByteBuffer.wrap("{\"message\":\"not a frame\"}".getBytes())));
        byte[] corrupt = STREAM.clone();
        corrupt[20] ^= 1;  // inside the first frame's headers: its CRC no longer matches
        assertThrows(IllegalStateException.class, () -> new EventFrameReader().feed(ByteBuffer.wrap(corrupt)));
    }

    @Test
    void theGatewaysOwnExceptionFrameIsOneAnSdkReads() {
        EventFrame frame = EventFrame.exception("modelTimeoutException", "stalled \"here\"");
        List<EventFrame> read = new EventFrameReader().feed(ByteBuffer.wrap(frame.bytes().getBytes()));
        assertEquals(1, read.size());
        assertTrue(read.get(0).isException());
        assertEquals("modelTimeoutException", read.get(0).exceptionType());
        assertEquals("{\"message\":\"stalled \\\"here\\\"\"}", new String(read.get(0).payload()));
    }
}
