package dev.bedrockgateway.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.governance.ApiKeys;
import dev.bedrockgateway.observability.RequestRecord;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code Authorization: Bearer <key>} on every API endpoint. Health and metrics live on the management interface,
 * which this filter never sees.
 */
public class AuthFilter {

    private static final String BEARER = "bearer ";

    private final ApiKeys keys;

    public AuthFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request, RoutingContext context) {
        if (!keys.required()) {
            RequestRecord.of(context).keyId(RequestRecord.ANONYMOUS);
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw new OpenAiException(401, ErrorTypes.INVALID_REQUEST, null, null,
                    "You didn't provide an API key. You need to provide your API key in an Authorization header "
                            + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
        }
        String key = header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : "";
        String id = key.isEmpty() ? null : keys.identify(key);
        if (id == null) {
            throw new OpenAiException(401, ErrorTypes.INVALID_REQUEST, ErrorTypes.CODE_INVALID_API_KEY, null,
                    "Incorrect API key provided.");
        }
        RequestRecord.of(context).keyId(id);
    }
}
