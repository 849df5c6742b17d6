package dev.bedrockgateway.dev;

import java.net.URI;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.bedrock.LocalBedrock;
import dev.bedrockgateway.config.GatewayConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.Vertx;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The built-in Bedrock simulator as a bean, for dev mode (and the tests that exercise it). This package is left
 * out of production builds (pom.xml removes its classes before packaging), so a deployed gateway can never answer
 * from it.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
public class DevBedrock implements LocalBedrock {

    /** Not AWS credentials: the simulator checks that requests are SigV4-signed, not by whom. */
    private static final AwsCredentialsProvider SIMULATOR_CREDENTIALS = StaticCredentialsProvider
            .create(AwsBasicCredentials.create("AKIDSIMULATOR", "simulator-secret"));

    private final Vertx vertx;
    private final GatewayConfig.Simulator config;
    private BedrockSimulator simulator;
    private URI endpoint;

    public DevBedrock(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.config = config.simulator();
    }

    @Override
    public synchronized URI endpoint() {
        if (simulator == null) {
            simulator = new BedrockSimulator(vertx, config.port(), config.latency());
            endpoint = simulator.start();
        }
        return endpoint;
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return SIMULATOR_CREDENTIALS;
    }

    @PreDestroy
    synchronized void stop() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }
}
