package dev.bedrockgateway.api.openai;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Response ids in OpenAI's style ({@code chatcmpl-} / {@code cmpl-} + 29 letters and digits) and Anthropic's
 * ({@code msg_} + 24); unique, not secret.
 */
public final class Ids {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Ids() {
    }

    public static String chatCompletionId() {
        return "chatcmpl-" + random(29);
    }

    public static String completionId() {
        return "cmpl-" + random(29);
    }

    public static String anthropicMessageId() {
        return "msg_" + random(24);
    }

    private static String random(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
