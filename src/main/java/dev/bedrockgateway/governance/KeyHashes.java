package dev.bedrockgateway.governance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keys and what is kept of them. A key is {@code sk-} and 32 URL-safe characters (192 random bits); the stores keep
 * only its SHA-256 in hex (LiteLLM's {@code token}), and people recognise it by {@link #displayName}.
 */
public final class KeyHashes {

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyHashes() {
    }

    /** A new key, shown to whoever asked for it once and never stored. */
    public static String generate() {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        return "sk-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The hex SHA-256 the stores know a key by. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** LiteLLM's {@code key_name}: {@code sk-...} and the key's last four characters. */
    public static String displayName(String key) {
        return "sk-..." + key.substring(Math.max(0, key.length() - 4));
    }

    /** The id of a virtual key in logs and metrics: {@code vk-} and the first 8 hex digits of its hash. */
    public static String logId(String tokenHash) {
        return "vk-" + tokenHash.substring(0, 8);
    }
}
