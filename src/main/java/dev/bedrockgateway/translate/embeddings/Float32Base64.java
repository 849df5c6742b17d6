package dev.bedrockgateway.translate.embeddings;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * OpenAI's {@code encoding_format: "base64"}: the vector as little-endian IEEE-754 float32 values, concatenated and
 * base64-encoded (standard alphabet, padded). That is what the official SDKs decode, e.g. Node's
 * {@code new Float32Array(Buffer.from(b64, "base64").buffer)} and Python's
 * {@code np.frombuffer(base64.b64decode(b64), dtype="float32")}. The round trip is bit-exact (raw bits are copied,
 * so -0.0, subnormals and infinities survive).
 */
public final class Float32Base64 {

    private Float32Base64() {
    }

    public static String encode(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            bytes.putInt(Float.floatToRawIntBits(f));
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** @throws IllegalArgumentException if {@code b64} is not base64 or not a whole number of float32 values */
    public static float[] decode(String b64) {
        byte[] raw = Base64.getDecoder().decode(b64);
        if (raw.length % Float.BYTES != 0) {
            throw new IllegalArgumentException(
                    "base64 float32 data must be a multiple of 4 bytes, got " + raw.length);
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[raw.length / Float.BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(bytes.getInt());
        }
        return v;
    }
}
