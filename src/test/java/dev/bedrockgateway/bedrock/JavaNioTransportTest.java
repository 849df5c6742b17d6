package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * With {@code QUARKUS_VERTX_PREFER_NATIVE_TRANSPORT=false}, and wherever epoll is missing (macOS), Vert.x runs on Java
 * NIO, and the Netty Bedrock client on its event loops works there too.
 */
@QuarkusTest
@TestProfile(JavaNioTransportTest.Nio.class)
@WithTestResource(SimulatedBedrock.class)
class JavaNioTransportTest {

    public static class Nio implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.vertx.prefer-native-transport", "false", "gateway.bedrock.http-client", "NETTY");
        }
    }

    @Inject
    Vertx vertx;

    @Inject
    BedrockInvoker invoker;

    @Test
    void nioWhenNotPreferredAndBedrockCallsWorkOverIt() throws Exception {
        assertFalse(vertx.isNativeTransportEnabled(), "Vert.x took a native transport although it was turned off");
        EventLoopsTest.assertAnswerArrivesOnAVertxEventLoop(invoker);
    }
}
