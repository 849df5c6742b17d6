package dev.bedrockgateway.api.openai;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.bedrockgateway.catalog.BedrockModelIds;
import dev.bedrockgateway.catalog.Catalog;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.governance.Caller;
import dev.bedrockgateway.openai.Model;
import dev.bedrockgateway.openai.OpenAiJson;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}} (with and without {@code /v1}): the catalog's
 * client-facing names in OpenAI's list shape, only those the caller may use (a virtual key limited to some models sees
 * only them); Open WebUI's "verify connection" calls this. Always JSON, whatever the
 * request's {@code Accept} says (a browser's {@code text/html} included), as OpenAI answers.
 */
@Path("/")
@Produces(MediaType.WILDCARD)
public class ModelsResource {

    private final ModelCatalog catalog;

    public ModelsResource(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Path(OpenAiPaths.V1 + "models")
    public Response list(RoutingContext context) {
        Catalog current = catalog.current();
        Caller caller = Caller.of(context);
        List<Model> models = new ArrayList<>(current.groups().size());
        current.groups().forEach((name, deployments) -> {
            if (caller == null || caller.mayUse(name)) {
                models.add(model(name, deployments, current.loadedAt()));
            }
        });
        return json(OpenAiJson.write(new Model.ListResponse("list", models)));
    }

    @GET
    @Path(OpenAiPaths.V1 + "models/{id: .+}")
    public Response get(@PathParam("id") String id, RoutingContext context) {
        Caller caller = Caller.of(context);
        if (caller != null && !caller.mayUse(id)) {
            throw OpenAiException.modelNotFound(id);
        }
        return json(OpenAiJson.write(model(id, catalog.resolve(id), catalog.current().loadedAt())));
    }

    private static Response json(byte[] body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Model model(String name, List<Deployment> deployments, long created) {
        return new Model(name, Model.OBJECT, created, ownedBy(deployments.get(0).modelId()));
    }

    /**
     * The model's provider when the id plainly names one ({@code anthropic.claude...},
     * {@code us.anthropic.claude...}); otherwise, e.g. for inference profile ARNs, simply Bedrock.
     */
    static String ownedBy(String modelId) {
        return BedrockModelIds.provider(modelId).orElse("amazon-bedrock");
    }
}
