package dev.bedrockgateway.translate.responses;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ThinkingBlock;

/**
 * A reasoning item's {@code encrypted_content}: Claude's thinking blocks (text and signature, or redacted data) sealed
 * with AES-GCM, so that a client keeping the context itself carries them to the next turn unchanged and unread, and
 * the gateway sends them back to Bedrock, which refuses a tool loop whose thinking lost its signature. Opening
 * verifies them: content that was altered, or sealed by another secret, is refused.
 *
 * <p>Form: {@code bgr1.} + base64url(12-byte nonce + ciphertext with its 16-byte tag); the plaintext is the blocks as
 * JSON.
 */
public final class ReasoningSeal {

    private static final String PREFIX = "bgr1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<ThinkingBlock>> BLOCKS = new TypeReference<>() {
    };

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private ReasoningSeal(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A seal whose 256-bit key is derived from {@code secret} (HMAC-SHA256 under a fixed label). */
    public static ReasoningSeal of(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return new ReasoningSeal(mac.doFinal("bedrock-gateway reasoning seal v1".getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A seal with a key of its own, for a process that has no secret to derive one from. */
    public static ReasoningSeal random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new ReasoningSeal(key);
    }

    public String seal(List<ThinkingBlock> blocks) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(JSON.writeValueAsBytes(blocks));
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Sealing reasoning failed", e);
        }
    }

    /**
     * The blocks {@link #seal} sealed.
     *
     * @param param where the content stood, for the 400
     * @throws OpenAiException 400 when the content was not sealed by this gateway's secret, or was altered
     */
    public List<ThinkingBlock> open(String content, String param) {
        if (content == null || !content.startsWith(PREFIX)) {
            throw notOurs(param);
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(content.substring(PREFIX.length()));
            if (in.length <= NONCE_BYTES) {
                throw notOurs(param);
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return JSON.readValue(plain, BLOCKS);
        } catch (IllegalArgumentException | GeneralSecurityException | java.io.IOException e) {
            throw notOurs(param);
        }
    }

    private static OpenAiException notOurs(String param) {
        return OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_VALUE,
                "The encrypted content could not be verified: it was not produced by this gateway (or its"
                        + " gateway.responses.reasoning-secret changed), or it was altered. Send reasoning items back"
                        + " exactly as they were received.");
    }
}
