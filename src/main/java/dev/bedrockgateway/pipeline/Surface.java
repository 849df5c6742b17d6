package dev.bedrockgateway.pipeline;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.images.FetchedImage;
import dev.bedrockgateway.images.RemoteImage;
import dev.bedrockgateway.translate.UnsupportedParams;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * What one API endpoint contributes to the {@link Pipeline}: how its body reads, what it asks for, its translator and
 * its writer. Everything else (model resolution, admission, image fetches, routing, usage, metrics) is the
 * pipeline's, the same for every endpoint.
 *
 * @param <Q> the request as the endpoint's wire format has it
 * @param <T> the request translated for one deployment
 */
public interface Surface<Q, T> {

    /** The endpoint's name in metrics and the access line, e.g. {@code chat.completions}. */
    String endpoint();

    /**
     * The first deployment of the model the client named, which must be of a kind the endpoint serves.
     *
     * @throws RuntimeException 400 when no model is named or it serves another endpoint, 404 when unknown
     */
    default Deployment resolve(ModelCatalog catalog, String model) {
        return catalog.textDeployment(model);
    }

    /**
     * Reads and validates the body.
     *
     * @throws RuntimeException the wire format's own 400 for anything that is not a request of the right shape
     */
    Parsed<Q> read(byte[] body);

    /** The same, for a surface whose request also lives in headers (Anthropic's {@code anthropic-beta}). */
    default Parsed<Q> read(byte[] body, RoutingContext exchange) {
        return read(body);
    }

    /** The model name the client sent (may be null or blank, which {@link #resolve} refuses). */
    String model(Q request);

    boolean stream(Q request);

    /**
     * The most output tokens the request allows in all, when it says (its budget reservation assumes this many);
     * empty when the model's own limit applies.
     */
    default OptionalInt maxOutputTokens(Q request) {
        return OptionalInt.empty();
    }

    /** The gateway's own limits on what one request may ask ({@code gateway.limits.*}). */
    default void check(Q request) {
    }

    /**
     * The request for one deployment of the model: the first deployment's translation validates the request before
     * it is admitted; other deployments (group siblings, fallbacks) are translated when the router first picks them.
     */
    T translate(Q request, Deployment deployment, UnsupportedParams params);

    /** The remote images a translation names, fetched before it is sent. */
    default List<RemoteImage> remoteImages(T translation) {
        return List.of();
    }

    /** The translation with its remote images in place. */
    default T withImages(T translation, Map<String, FetchedImage> images) {
        return translation;
    }

    /** Calls Bedrock through {@code call} and answers in the endpoint's format. */
    Uni<Answer> answer(Call<T> call);
}
