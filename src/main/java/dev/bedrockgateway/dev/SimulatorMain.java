package dev.bedrockgateway.dev;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The simulator as a process of its own, the benchmark's Bedrock (bench/common.sh starts it from
 * {@code target/simulator-classes}, the copy the build keeps of this package, with the jars of
 * {@code target/quarkus-app/lib/main}). Once listening it prints its base URL as the one line of its standard output.
 *
 * <pre>
 * java -cp target/simulator-classes:target/quarkus-app/lib/main/* dev.bedrockgateway.dev.SimulatorMain [options]
 *   --port N             port on 127.0.0.1 (default 0: any free port)
 *   --latency-ms N       delay before an answer, or before a stream's first frame (default 0)
 *   --stream-events N    every text reply has exactly N words, so a stream N content deltas (default: the reply's own)
 *   --stream-gap-ms N    delay before each content delta of a stream; messageStart goes at once (default 0: one write)
 *   --tls-key FILE --tls-cert FILE   serve HTTPS (HTTP/1.1 or HTTP/2 by ALPN) with these PEM files
 * </pre>
 */
public final class SimulatorMain {

    private static final List<String> NUMBERS = List.of("--port", "--latency-ms", "--stream-events", "--stream-gap-ms");
    private static final List<String> FILES = List.of("--tls-key", "--tls-cert");

    private SimulatorMain() {
    }

    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!(NUMBERS.contains(name) || FILES.contains(name)) || i + 1 >= args.length) {
                usage("unknown or incomplete option " + name);
            }
            if (NUMBERS.contains(name) && !args[i + 1].matches("\\d{1,9}")) {
                usage(name + " needs a non-negative whole number, not " + args[i + 1]);
            }
            options.put(name, args[i + 1]);
        }
        if (options.containsKey("--tls-key") != options.containsKey("--tls-cert")) {
            usage("--tls-key and --tls-cert go together");
        }
        BedrockSimulator.Tls tls = options.containsKey("--tls-key")
                ? new BedrockSimulator.Tls(Path.of(options.get("--tls-key")), Path.of(options.get("--tls-cert")))
                : null;
        BedrockSimulator.Settings settings = new BedrockSimulator.Settings(number(options, "--port"),
                Duration.ofMillis(number(options, "--latency-ms")), Duration.ofMillis(number(options, "--stream-gap-ms")),
                number(options, "--stream-events"), tls);
        // epoll where Netty's native transport is on the class path, as the gateway runs: the cheaper stand-in.
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        URI endpoint = new BedrockSimulator(vertx, settings).start();
        System.out.println(endpoint);
        System.out.flush();
    }

    private static int number(Map<String, String> options, String name) {
        return Integer.parseInt(options.getOrDefault(name, "0"));
    }

    private static void usage(String problem) {
        System.err.println("SimulatorMain: " + problem + "\nOptions: --port N, --latency-ms N, --stream-events N,"
                + " --stream-gap-ms N, --tls-key FILE --tls-cert FILE (see the class's Javadoc)");
        System.exit(2);
    }
}
