package dev.bedrockgateway.dev;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code signature} of the thinking blocks the simulated Claude writes: like Anthropic's, it lets the model tell
 * later that a thinking block sent back in the conversation is one it wrote, unchanged. Here it is the base64 of an
 * HMAC-SHA256 of the thinking text.
 */
final class ThinkingSignatures {

    /**
     * Fixed, so that signatures stay valid across simulator restarts and processes (golden files, the benchmark's own
     * simulator). Not a secret: it only tells the simulator's signatures from made-up ones.
     */
    private static final SecretKeySpec KEY = new SecretKeySpec(
            "bedrock-gateway simulated thinking".getBytes(StandardCharsets.UTF_8), "HmacSHA256");

    private ThinkingSignatures() {
    }

    static String sign(String thinking) {
        return Base64.getEncoder().encodeToString(mac(thinking));
    }

    /** Whether the simulator issued {@code signature} for exactly this text. */
    static boolean verify(String thinking, String signature) {
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(thinking), given);
    }

    private static byte[] mac(String thinking) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(KEY);
            return mac.doFinal(thinking.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a JDK requirement", e);
        }
    }
}
