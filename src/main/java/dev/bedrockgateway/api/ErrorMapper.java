package dev.bedrockgateway.api;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.governance.store.GovernanceStore;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every failure of an API request becomes the error body of the API it speaks ({@link WireFormat}: OpenAI's,
 * Anthropic's or Bedrock's) with its status. Messages never carry stack traces or upstream request details.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    /** The status of an exchange the client left (nginx's), as the access line records it. */
    static final int CLIENT_GONE = 499;

    @ServerExceptionMapper
    public Response openAi(OpenAiException e, HttpServerRequest request) {
        if (e.status() >= 500) {
            LOG.warnf("%d %s: %s%s", e.status(), e.code(), e.getMessage(),
                    e.getCause() == null ? "" : " (cause: " + e.getCause().getClass().getSimpleName() + ")");
        }
        return response(request, e);
    }

    /** A governance store that did not answer in time (an admin call, a key not in memory yet). */
    @ServerExceptionMapper
    public Response storeUnavailable(GovernanceStore.StoreUnavailable e, HttpServerRequest request) {
        LOG.warnf("503 store_unavailable: %s", e.getMessage());
        return response(request, new OpenAiException(503, ErrorTypes.SERVER, "store_unavailable", null,
                "The gateway's governance store is unreachable right now; please retry.",
                java.util.Map.of("Retry-After", "1"), null));
    }

    /** An admin call creating what exists already (a key alias, a team id). */
    @ServerExceptionMapper
    public Response conflict(GovernanceStore.Conflict e, HttpServerRequest request) {
        return response(request, new OpenAiException(409, ErrorTypes.INVALID_REQUEST, "already_exists", null,
                e.getMessage()));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest request) {
        return response(request, new OpenAiException(404, ErrorTypes.INVALID_REQUEST, "unknown_url", null,
                "Invalid URL (" + request.method() + " " + request.path() + ")."));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        Response.ResponseBuilder response = builder(request, new OpenAiException(405, ErrorTypes.INVALID_REQUEST,
                "method_not_allowed", null, "Method " + request.method() + " is not allowed for " + request.path()
                        + "."));
        String allow = e.getResponse().getHeaderString("Allow");
        if (allow != null) {
            response.header("Allow", allow);
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, HttpServerRequest request) {
        return response(request, new OpenAiException(415, ErrorTypes.INVALID_REQUEST, "unsupported_media_type", null,
                "The request body must be JSON, sent with 'Content-Type: application/json'."));
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, HttpServerRequest request) {
        return response(request, new OpenAiException(406, ErrorTypes.INVALID_REQUEST, "not_acceptable", null,
                "This endpoint answers with application/json; check the Accept header."));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        String type = status >= 500 ? ErrorTypes.SERVER : ErrorTypes.INVALID_REQUEST;
        return response(request, new OpenAiException(status, type, null, null,
                Response.Status.fromStatusCode(status) == null ? "HTTP " + status
                        : Response.Status.fromStatusCode(status).getReasonPhrase() + "."));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        if (clientGone(e)) {
            // The client hung up while its body was being read: nobody is left to answer, and nothing failed here.
            LOG.debugf("The client left before its request body was read: %s", e.getMessage());
            return Response.status(CLIENT_GONE).build();
        }
        LOG.error("Unexpected failure", e);
        return response(request, new OpenAiException(500, ErrorTypes.SERVER, "internal_error", null,
                "The gateway failed unexpectedly."));
    }

    /** Whether {@code e} is the connection closing under the request (as a body read reports it). */
    static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpClosedException) {
                return true;
            }
        }
        return false;
    }

    private static Response response(HttpServerRequest request, OpenAiException e) {
        return builder(request, e).build();
    }

    private static Response.ResponseBuilder builder(HttpServerRequest request, OpenAiException e) {
        ErrorReply reply = WireFormat.of(request == null ? null : request.path()).reply(e);
        Response.ResponseBuilder response = Response.status(reply.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(reply.body());
        reply.headers().forEach(response::header);
        return response;
    }
}
