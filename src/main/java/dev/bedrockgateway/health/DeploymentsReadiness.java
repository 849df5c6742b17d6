package dev.bedrockgateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.bedrockgateway.routing.Deployments;

/**
 * Not ready while every deployment of every model is cooling down (all circuits open): the pod could only answer
 * errors, so the load balancer should prefer its siblings. It turns ready again when the first cool-down ends.
 */
@Readiness
@ApplicationScoped
public class DeploymentsReadiness implements HealthCheck {

    private final Deployments deployments;

    public DeploymentsReadiness(Deployments deployments) {
        this.deployments = deployments;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("deployments").status(deployments.anyUsable()).build();
    }
}
