package dev.bedrockgateway.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a packaged gateway's log until it has said which API and management ports it listens on (both port 0). */
final class StartupLog {

    static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");
    static final Pattern MANAGEMENT = Pattern.compile("Management interface listening on http://[^:]+:(\\d+)");

    private StartupLog() {
    }

    /** The API port and the management port; fails the test when they are not logged within 60 s. */
    static int[] ports(BufferedReader log, Consumer<String> lines) throws IOException {
        int http = -1;
        int management = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((http < 0 || management < 0) && System.nanoTime() < deadline) {
            String line = log.readLine();
            if (line == null) {
                break;
            }
            lines.accept(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                http = Integer.parseInt(m.group(1));
            }
            Matcher mm = MANAGEMENT.matcher(line);
            if (mm.find()) {
                management = Integer.parseInt(mm.group(1));
            }
        }
        assertTrue(http > 0 && management > 0, "the gateway started");
        return new int[] {http, management};
    }
}
