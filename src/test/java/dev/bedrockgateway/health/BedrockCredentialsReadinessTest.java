package dev.bedrockgateway.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Map;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import dev.bedrockgateway.bedrock.BedrockClients;
import dev.bedrockgateway.config.GatewayConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/** A pod whose AWS credentials do not resolve is taken out of the load balancer. */
class BedrockCredentialsReadinessTest {

    static GatewayConfig config() {
        return new SmallRyeConfigBuilder().withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(GatewayConfig.class)
                .withDefaultValues(Map.of("AWS_REGION", "us-east-1")).build()
                .getConfigMapping(GatewayConfig.class);
    }

    static BedrockClients clientsWith(AwsCredentialsProvider credentials) {
        return new BedrockClients(config(), null, null) {
            @Override
            public AwsCredentialsProvider credentials() {
                return credentials;
            }
        };
    }

    @Test
    void downWhileCredentialsDoNotResolveSayingTheSdksReason() {
        HealthCheckResponse response = new BedrockCredentialsReadiness(clientsWith(() -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain: "
                    + "[EnvironmentVariableCredentialsProvider(): Access key must be specified]");
        })).call();
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals("SdkClientException", response.getData().orElseThrow().get("exception"));
        assertEquals("Unable to load credentials from any of the providers in the chain: "
                + "[EnvironmentVariableCredentialsProvider(): Access key must be specified]",
                response.getData().orElseThrow().get("reason"));
    }

    @Test
    void upWhenTheyResolve() {
        HealthCheckResponse response = new BedrockCredentialsReadiness(clientsWith(
                () -> AwsBasicCredentials.create("AKIDEXAMPLE", "secret-never-shown"))).call();
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertFalse(response.toString().contains("secret-never-shown"));
    }
}
