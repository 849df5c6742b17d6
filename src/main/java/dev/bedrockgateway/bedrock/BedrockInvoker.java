package dev.bedrockgateway.bedrock;

import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.catalog.Deployment;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * The one place that calls Bedrock. Turns the SDK's futures into {@link Uni}s (cancelling the Uni cancels the
 * call) and every failure into an {@link dev.bedrockgateway.error.OpenAiException} through {@link BedrockErrors}.
 */
@ApplicationScoped
public class BedrockInvoker {

    private final BedrockClients clients;

    public BedrockInvoker(BedrockClients clients) {
        this.clients = clients;
    }

    public Uni<ConverseResponse> converse(Deployment deployment, ConverseRequest request) {
        return Uni.createFrom().completionStage(() -> clients.forRegion(deployment.region()).converse(request))
                .onFailure().transform(BedrockErrors::toOpenAi);
    }
}
