package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * By default Bedrock is called through Vert.x's HTTP client ({@link VertxSdkHttpClient}, whose own tests cover TLS and
 * answering on the calling event loop); the rest of the suite goes through it too ({@link EventLoopsTest} covers
 * Netty).
 */
@QuarkusTest
@WithTestResource(SimulatedBedrock.class)
class DefaultHttpClientTest {

    @Inject
    BedrockClients clients;

    @Inject
    BedrockInvoker invoker;

    @Test
    void bedrockIsCalledThroughVertxAndAnswersOnItsEventLoops() throws Exception {
        assertEquals("VertxHttp", clients.httpClientName());
        EventLoopsTest.assertAnswerArrivesOnAVertxEventLoop(invoker);
    }
}
