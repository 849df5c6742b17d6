package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/**
 * The default configuration takes the epoll transport on Linux ({@code quarkus.vertx.prefer-native-transport=true}),
 * and the Bedrock client, on the same event loops, then works over epoll channels.
 */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
class NativeTransportTest {

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
        assertTrue(vertx.isNativeTransportEnabled(), "Vert.x runs on Java NIO although epoll is the default");
        EventLoopsTest.assertAnswerArrivesOnAVertxEventLoop(clients, bedrock);
    }
}
