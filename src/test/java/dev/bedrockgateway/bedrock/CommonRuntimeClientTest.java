package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * By default Bedrock is called through the AWS Common Runtime's HTTP client, whose answers arrive on its own native
 * event loop threads; the rest of the suite goes through it too ({@link EventLoopsTest} covers Netty).
 */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
class CommonRuntimeClientTest {

    @Inject
    BedrockClients clients;

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @Test
    void bedrockAnswersArriveOnTheCommonRuntimesEventLoops() throws Exception {
        assertEquals("AwsCommonRuntime", clients.httpClientName());
        assertEquals("Hi on AwsEventLoopN", EventLoopsTest.answerAndItsThread(clients, bedrock));
    }
}
