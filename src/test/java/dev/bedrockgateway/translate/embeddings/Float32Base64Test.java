package dev.bedrockgateway.translate.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Float32Base64Test {

    @Test
    void encodesLittleEndianFloat32() {
        // 1.0f = 0x3F800000 -> 00 00 80 3F; -2.0f = 0xC0000000 -> 00 00 00 C0
        assertEquals("AACAPwAAAMA=", Float32Base64.encode(new float[] { 1.0f, -2.0f }));
        assertArrayEquals(new byte[] { 0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0 },
                Base64.getDecoder().decode(Float32Base64.encode(new float[] { 1.0f, -2.0f })));
        // 0.5f = 0x3F000000 -> 00 00 00 3F
        assertEquals("AAAAPw==", Float32Base64.encode(new float[] { 0.5f }));
        // -0.0f = 0x80000000 -> 00 00 00 80
        assertEquals("AAAAgA==", Float32Base64.encode(new float[] { -0.0f }));
        assertEquals("", Float32Base64.encode(new float[0]));
    }

    @Test
    void decodesTheHandExample() {
        assertArrayEquals(new float[] { 1.0f, -2.0f }, Float32Base64.decode("AACAPwAAAMA="));
        assertEquals(0, Float32Base64.decode("").length);
    }

    @Test
    void roundTripIsBitExact() {
        float[] special = { 0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
                Math.nextDown(Float.MIN_NORMAL), Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 1.0f, Math.nextUp(1.0f), -0.0123456789f, 3.4028235e38f };
        assertBitExact(special);

        Random random = new Random(20240611L);
        for (int round = 0; round < 200; round++) {
            float[] v = new float[1 + random.nextInt(3072)];
            for (int i = 0; i < v.length; i++) {
                // Any bit pattern: normals, subnormals, zeros, infinities and NaNs alike.
                v[i] = Float.intBitsToFloat(random.nextInt());
            }
            assertBitExact(v);
        }
    }

    @Test
    void nanStaysNaN() {
        float[] back = Float32Base64.decode(Float32Base64.encode(new float[] { Float.NaN }));
        assertTrue(Float.isNaN(back[0]));
    }

    @Test
    void rejectsPartialFloats() {
        // 3 and 5 bytes: not whole float32 values
        assertThrows(IllegalArgumentException.class, () -> Float32Base64.decode("AAAA"));
        assertThrows(IllegalArgumentException.class, () -> Float32Base64.decode("AAAAAAA="));
        assertThrows(IllegalArgumentException.class, () -> Float32Base64.decode("not base64!"));
    }

    private static void assertBitExact(float[] v) {
        String b64 = Float32Base64.encode(v);
        assertEquals(v.length * 4, Base64.getDecoder().decode(b64).length);
        float[] back = Float32Base64.decode(b64);
        assertEquals(v.length, back.length);
        for (int i = 0; i < v.length; i++) {
            if (Float.isNaN(v[i])) {
                assertTrue(Float.isNaN(back[i]), "NaN at " + i);
            } else {
                assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "bits at " + i);
            }
        }
    }
}
