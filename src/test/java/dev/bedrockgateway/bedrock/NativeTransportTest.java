package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * The opt-in epoll transport ({@code QUARKUS_VERTX_PREFER_NATIVE_TRANSPORT=true}) is really taken on Linux, and the
 * Bedrock client, on the same event loops, then works over epoll channels.
 */
@QuarkusTest
@TestProfile(NativeTransportTest.Epoll.class)
@WithTestResource(BedrockStandIn.class)
class NativeTransportTest {

    public static class Epoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.vertx.prefer-native-transport", "true");
        }
    }

    @Inject
    Vertx vertx;

    @Inject
    BedrockClients clients;

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @Test
    void linuxTakesEpollAndBedrockCallsWorkOverIt() throws Exception {
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").startsWith("Linux")
                && ("amd64".equals(arch) || "aarch64".equals(arch)), "epoll jars are shipped for Linux x86-64 and aarch64");
        assertTrue(vertx.isNativeTransportEnabled(), "Vert.x runs on Java NIO although epoll was preferred");
        EventLoopsTest.assertAnswerArrivesOnAVertxEventLoop(clients, bedrock);
    }
}
