package dev.bedrockgateway.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.Map;

import dev.bedrockgateway.dev.BedrockSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;

/**
 * The dev-mode Bedrock simulator ({@link BedrockSimulator}) on 127.0.0.1, which the gateway reaches through the real
 * AWS SDK client via {@code gateway.bedrock.endpoint-override}, with real SigV4 signing: for tests that need a Bedrock
 * that answers like Bedrock (any prompt, streams, and the simulator's {@code simulate:} directives for latency, slow,
 * stalled and endless answers) rather than one stubbed reply. The injected simulator tells how many answers the
 * gateway abandoned. Tests that check the exact Bedrock request, replay exact frames or inject faults the simulator
 * has no directive for use {@link BedrockStandIn} (WireMock) instead.
 */
public class SimulatedBedrock implements QuarkusTestResourceLifecycleManager {

    /** Injects the running {@link BedrockSimulator} into a test field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    private Vertx vertx;
    private BedrockSimulator simulator;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        simulator = new BedrockSimulator(vertx, 0, Duration.ZERO);
        return BedrockStandIn.gatewaySettings(simulator.start().toString());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(simulator,
                new TestInjector.AnnotatedAndMatchesType(Inject.class, BedrockSimulator.class));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
