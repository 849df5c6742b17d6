package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With {@code GATEWAY_BEDROCK_HTTP_CLIENT=CRT}, Bedrock is called through the AWS Common Runtime's HTTP client, whose
 * answers arrive on its own native event loop threads ({@link DefaultHttpClientTest} covers the default,
 * {@link EventLoopsTest} Netty).
 */
@QuarkusTest
@TestProfile(CommonRuntimeClientTest.Crt.class)
@WithTestResource(BedrockStandIn.class)
class CommonRuntimeClientTest {

    public static class Crt implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.bedrock.http-client", "CRT");
        }
    }

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
