package dev.bedrockgateway.translate.responses;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids in the Responses API's style: a prefix naming the kind ({@code resp}, {@code msg}, {@code fc}, {@code rs}) and
 * 48 hex digits. Unique, not secret: a stored response is found only with its owner's key.
 */
public final class ResponseIds {

    private ResponseIds() {
    }

    public static String of(String prefix) {
        byte[] bytes = new byte[24];
        ThreadLocalRandom.current().nextBytes(bytes);
        return prefix + "_" + HexFormat.of().formatHex(bytes);
    }
}
