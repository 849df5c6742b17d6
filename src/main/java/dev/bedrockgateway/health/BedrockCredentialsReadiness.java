package dev.bedrockgateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.bedrockgateway.bedrock.BedrockClients;

/**
 * Ready only while AWS credentials resolve (on EKS: the IRSA web identity token can be exchanged). A pod without
 * credentials would fail every request, so it is kept out of the load balancer instead. The SDK caches and
 * refreshes the credentials, so the check costs nothing once they are held. Liveness never depends on it.
 */
@Readiness
@ApplicationScoped
public class BedrockCredentialsReadiness implements HealthCheck {

    private static final String NAME = "bedrock-credentials";

    private final BedrockClients clients;

    public BedrockCredentialsReadiness(BedrockClients clients) {
        this.clients = clients;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            clients.credentials().resolveCredentials();
            return HealthCheckResponse.up(NAME);
        } catch (RuntimeException e) {
            // The exception text names the providers tried; it carries no secret.
            return HealthCheckResponse.named(NAME).down().withData("reason", e.getClass().getSimpleName()).build();
        }
    }
}
