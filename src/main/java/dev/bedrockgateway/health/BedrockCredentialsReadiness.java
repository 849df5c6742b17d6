package dev.bedrockgateway.health;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import dev.bedrockgateway.bedrock.BedrockClients;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Ready only while AWS credentials resolve (on EKS: the IRSA web identity token can be exchanged). A pod without
 * credentials would fail every request, so it is kept out of the load balancer instead. The SDK caches and
 * refreshes the credentials, so the check costs nothing once they are held. Liveness never depends on it. The first
 * check that finds none logs a warning with the SDK's reason; one check runs right after start, so the warning comes
 * at start-up also where nothing probes readiness (a plain {@code java -jar}).
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

    /**
     * Checks once as soon as the gateway has started, on a worker thread (resolving may wait on the network: STS for
     * IRSA, the agent for EKS Pod Identity, the instance metadata service). It asks a chain of its own, closed after:
     * the shared provider's cache and its renewal schedule are left to the calls that sign requests.
     */
    void checkAtStart(@Observes StartupEvent event, Vertx vertx) {
        AwsCredentialsProvider shared = clients.credentials();
        vertx.executeBlocking(() -> {
            if (shared instanceof DefaultCredentialsProvider) {
                try (DefaultCredentialsProvider once = DefaultCredentialsProvider.builder().build()) {
                    check(once);
                }
            } else {  // the dev-mode simulator's fixed credentials
                check(shared);
            }
            return null;
        }, false);
    }

    @Override
    public HealthCheckResponse call() {
        return check(clients.credentials());
    }

    private HealthCheckResponse check(AwsCredentialsProvider credentials) {
        try {
            credentials.resolveCredentials();
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
