package dev.bedrockgateway.health;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import dev.bedrockgateway.bedrock.BedrockClients;

/**
 * Ready only while AWS credentials resolve (on EKS: the IRSA web identity token can be exchanged). A pod without
 * credentials would fail every request, so it is kept out of the load balancer instead. The SDK caches and
 * refreshes the credentials, so the check costs nothing once they are held. Liveness never depends on it. The first
 * check that finds none logs a warning with the SDK's reason (on Kubernetes, the first readiness probe after start).
 */
@Readiness
@ApplicationScoped
public class BedrockCredentialsReadiness implements HealthCheck {

    private static final String NAME = "bedrock-credentials";

    private static final Logger LOG = Logger.getLogger(BedrockCredentialsReadiness.class);

    private final BedrockClients clients;
    /** Whether the last check found no credentials, so that each outage is logged once, when it is first seen. */
    private final AtomicBoolean down = new AtomicBoolean();

    public BedrockCredentialsReadiness(BedrockClients clients) {
        this.clients = clients;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            clients.credentials().resolveCredentials();
            down.set(false);
            return HealthCheckResponse.up(NAME);
        } catch (RuntimeException e) {
            // The SDK's text names the providers it tried and why each failed; it carries no secret.
            if (down.compareAndSet(false, true)) {
                LOG.warnf("No AWS credentials resolve: every Bedrock call fails with 502 upstream_unreachable and"
                        + " readiness (bedrock-credentials) is DOWN until they do. Give the pod a role (IRSA or EKS"
                        + " Pod Identity) or set AWS credentials (docs/operations.md, Troubleshooting). The AWS SDK"
                        + " says: %s", e.getMessage());
            }
            return HealthCheckResponse.named(NAME).down().withData("exception", e.getClass().getSimpleName())
                    .withData("reason", String.valueOf(e.getMessage())).build();
        }
    }
}
