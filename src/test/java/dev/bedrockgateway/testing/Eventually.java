package dev.bedrockgateway.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for something another thread (a reconnect, a probe) will make true. */
public final class Eventually {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private Eventually() {
    }

    /** Returns once {@code condition} holds; fails the test naming {@code what} if it does not within 10 s. */
    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + LIMIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
