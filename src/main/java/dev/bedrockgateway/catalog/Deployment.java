package dev.bedrockgateway.catalog;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One catalog entry: where requests for {@code modelName} go.
 *
 * @param modelName the name clients send ({@code model_list[].model_name})
 * @param modelId the Bedrock model id, cross-region inference profile id or inference profile ARN, as Bedrock
 *        takes it in {@code /model/{modelId}/...} (not yet URL-encoded)
 * @param region the AWS region whose Bedrock runtime serves it
 * @param mode chat, completion or embedding
 * @param maxTokens default {@code maxTokens} when the client sends none ({@code litellm_params.max_tokens})
 * @param rpm requests per minute allowed ({@code litellm_params.rpm})
 * @param tpm tokens per minute allowed ({@code litellm_params.tpm})
 * @param maxParallelRequests calls in flight at once ({@code litellm_params.max_parallel_requests})
 * @param price what a token costs, when the catalog entry says ({@code model_info.input_cost_per_token} ...);
 *        empty leaves it to the bundled price table ({@code governance.Prices})
 * @param maxOutputTokens the most output tokens the model produces ({@code model_info.max_output_tokens}), a limit
 *        of the model, where {@code maxTokens} is only a default for requests
 * @param entry position in {@code model_list}, for messages
 */
public record Deployment(String modelName, String modelId, String region, ModelMode mode, OptionalInt maxTokens,
        OptionalInt rpm, OptionalInt tpm, OptionalInt maxParallelRequests, Optional<Price> price,
        OptionalInt maxOutputTokens, int entry) {

    /** Identifies the deployment across catalog reloads: same name, model, region and position. */
    public String key() {
        return modelName + "#" + entry + " " + region + "/" + modelId;
    }
}
