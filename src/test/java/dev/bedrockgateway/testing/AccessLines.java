package dev.bedrockgateway.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The gateway's access lines as they are written in this JVM (logger {@code bedrock-gateway.access}), for
 * {@code @QuarkusTest}s: {@link #start()} before a test, {@link #stop()} after it.
 */
public final class AccessLines extends Handler {

    private static final String LOGGER = "bedrock-gateway.access";

    private final List<String> lines = new CopyOnWriteArrayList<>();

    public void start() {
        lines.clear();
        Logger.getLogger(LOGGER).addHandler(this);
    }

    public void stop() {
        Logger.getLogger(LOGGER).removeHandler(this);
    }

    /** The first line containing {@code fragment}, waiting up to 2 s for it (a line is written once the exchange ended). */
    public String find(String fragment) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (String line : lines) {
                if (line.contains(fragment)) {
                    return line;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no access line with " + fragment + " in " + lines);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(String.valueOf(record.getMessage()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
