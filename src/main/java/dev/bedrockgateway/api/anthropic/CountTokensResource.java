package dev.bedrockgateway.api.anthropic;

import java.util.List;
import java.util.OptionalInt;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.anthropic.AnthropicJson;
import dev.bedrockgateway.anthropic.MessagesRequest;
import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.bedrock.BedrockInvoker;
import dev.bedrockgateway.catalog.BedrockModelIds;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.pipeline.Call;
import dev.bedrockgateway.pipeline.Pipeline;
import dev.bedrockgateway.translate.UnsupportedParams;
import dev.bedrockgateway.translate.claude.ClaudeFeatures;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelTokensRequest;

/**
 * {@code POST /v1/messages/count_tokens} (https://docs.anthropic.com/en/api/messages-count-tokens) on Bedrock's
 * CountTokens API (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CountTokens.html): Bedrock's
 * count of the request as the model would take it, tools and system included, not an estimate. Claude models count
 * the InvokeModel body the gateway would send (adapted the same way); others the Converse request. CountTokens takes
 * foundation model ids, so a cross-region profile id is counted on its base model. A count is admitted like any call
 * (keys, model access, request limits) and costs nothing.
 */
@Path("/")
public class CountTokensResource extends MessagesEndpoint<CountTokensRequest> {

    public CountTokensResource(Pipeline pipeline, BedrockInvoker bedrock, ClaudeFeatures features) {
        super(pipeline, bedrock, features, true);
    }

    @POST
    @Path("v1/messages/count_tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.WILDCARD)
    public Uni<Answer> count(byte[] body, RoutingContext context) {
        return serve(body, context);
    }

    @Override
    public String endpoint() {
        return "messages.count_tokens";
    }

    @Override
    public boolean stream(MessagesRequest request) {
        return false;
    }

    @Override
    public OptionalInt maxOutputTokens(MessagesRequest request) {
        return OptionalInt.of(0);
    }

    @Override
    public CountTokensRequest translate(MessagesRequest request, Deployment deployment, UnsupportedParams params) {
        String modelId = BedrockModelIds.withoutProfilePrefix(deployment.modelId());
        CountTokensInput input;
        ObjectNode body = request.body();
        if (!body.has("max_tokens")) {
            // The count takes a body InvokeModel would take, which requires max_tokens (above a thinking budget); it
            // does not change the count.
            body = body.deepCopy().put("max_tokens", body.path("thinking").path("budget_tokens").asInt(0) + 1);
        }
        MessagesRequest counted = new MessagesRequest(body, request.model(), false, 1, request.betas());
        MessagesTranslation translation = MessagesResource.translation(counted, deployment, features);
        if (translation instanceof MessagesTranslation.ToClaude claude) {
            input = CountTokensInput.fromInvokeModel(InvokeModelTokensRequest.builder()
                    .body(SdkBytes.fromByteArrayUnsafe(claude.invoke().body())).build());
        } else {
            ConverseRequest converse = ((MessagesTranslation.ToConverse) translation).converse().request();
            input = CountTokensInput.fromConverse(ConverseTokensRequest.builder().messages(converse.messages())
                    .system(converse.system()).toolConfig(converse.toolConfig()).build());
        }
        return CountTokensRequest.builder().modelId(modelId).input(input).build();
    }

    @Override
    public Uni<Answer> answer(Call<CountTokensRequest> call) {
        return call.route((deployment, request) -> bedrock.countTokens(deployment, request), null)
                .map(response -> AnthropicAnswers.json(List.of(), AnthropicJson.write(
                        AnthropicJson.object().put("input_tokens", response.inputTokens()))));
    }
}
