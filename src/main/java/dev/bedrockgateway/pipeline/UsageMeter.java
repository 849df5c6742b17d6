package dev.bedrockgateway.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.observability.RequestRecord;
import dev.bedrockgateway.governance.ClientRateLimits;
import dev.bedrockgateway.routing.Deployments;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Where the tokens of every Bedrock call are recorded, once, as Bedrock counted them: on the request (the access line
 * and the token metrics), against the client's TPM budgets, and against the {@code tpm} budget of the deployment that
 * answered.
 */
@ApplicationScoped
public class UsageMeter {

    private final ClientRateLimits clientLimits;
    private final Deployments deployments;

    public UsageMeter(ClientRateLimits clientLimits, Deployments deployments) {
        this.clientLimits = clientLimits;
        this.deployments = deployments;
    }

    /** The usage of one Converse call or stream; nothing when Bedrock reported none. */
    public void used(RequestRecord record, Deployment deployment, TokenUsage usage) {
        if (usage != null) {
            used(record, deployment, nullToZero(usage.inputTokens()), nullToZero(usage.outputTokens()));
        }
    }

    public void used(RequestRecord record, Deployment deployment, int inputTokens, int outputTokens) {
        record.addTokens(inputTokens, outputTokens);
        int tokens = inputTokens + outputTokens;
        clientLimits.consumeTokens(record, tokens);
        if (deployment != null) {
            deployments.consumeTokens(deployment, tokens);
        }
    }

    private static int nullToZero(Integer value) {
        return value == null ? 0 : value;
    }
}
