package dev.bedrockgateway.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.observability.RequestRecord;
import dev.bedrockgateway.governance.ClientRateLimits;
import dev.bedrockgateway.governance.Governance;
import dev.bedrockgateway.governance.Prices;
import dev.bedrockgateway.routing.Deployments;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Where the tokens of every Bedrock call are recorded, once, as Bedrock counted them: on the request (the access line,
 * the token metrics, its cost priced on the deployment that answered and the spend log), against the client's TPM
 * budgets, and against the {@code tpm} budget of the deployment that answered.
 */
@ApplicationScoped
public class UsageMeter {

    private final ClientRateLimits clientLimits;
    private final Deployments deployments;
    private final Prices prices;

    public UsageMeter(ClientRateLimits clientLimits, Deployments deployments, Prices prices) {
        this.clientLimits = clientLimits;
        this.deployments = deployments;
        this.prices = prices;
    }

    /** The usage of one Converse call or stream; nothing when Bedrock reported none. */
    public void used(RequestRecord record, Deployment deployment, TokenUsage usage) {
        if (usage != null) {
            used(record, deployment, nullToZero(usage.inputTokens()), nullToZero(usage.outputTokens()),
                    nullToZero(usage.cacheReadInputTokens()), nullToZero(usage.cacheWriteInputTokens()));
        }
    }

    public void used(RequestRecord record, Deployment deployment, int inputTokens, int outputTokens) {
        used(record, deployment, inputTokens, outputTokens, 0, 0);
    }

    /**
     * One call's tokens; {@code inputTokens} without the prompt-cache reads and writes, which Bedrock counts apart
     * and prices apart. The cost goes into the answer's headers when they have not left yet (a JSON answer), and in
     * any case into the access line and the spend log.
     */
    public void used(RequestRecord record, Deployment deployment, int inputTokens, int outputTokens, int cacheRead,
            int cacheWrite) {
        record.addTokens(inputTokens, outputTokens);
        if (cacheRead > 0 || cacheWrite > 0) {
            record.addCacheTokens(cacheRead, cacheWrite);
        }
        if (deployment != null) {
            prices.costNanoUsd(deployment, inputTokens, outputTokens, cacheRead, cacheWrite).ifPresentOrElse(cost -> {
                record.addCost(cost);
                Governance.costHeaders(record);
            }, () -> prices.unpriced(deployment));
        }
        int tokens = inputTokens + outputTokens + cacheRead + cacheWrite;
        clientLimits.consumeTokens(record, tokens);
        if (deployment != null) {
            deployments.consumeTokens(deployment, tokens);
        }
    }

    private static int nullToZero(Integer value) {
        return value == null ? 0 : value;
    }
}
