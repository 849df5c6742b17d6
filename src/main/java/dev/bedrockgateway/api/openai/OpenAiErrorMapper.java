package dev.bedrockgateway.api.openai;

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
import dev.bedrockgateway.openai.OpenAiJson;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every failure of an API request becomes OpenAI's error body ({@link OpenAiJson#errorBody}) with its status.
 * Messages never carry stack traces or upstream request details.
 */
public class OpenAiErrorMapper {

    private static final Logger LOG = Logger.getLogger(OpenAiErrorMapper.class);
    /** The status of an exchange the client left (nginx's), as the access line records it. */
    static final int CLIENT_GONE = 499;

    @ServerExceptionMapper
    public Response openAi(OpenAiException e) {
        if (e.status() >= 500) {
            LOG.warnf("%d %s: %s%s", e.status(), e.code(), e.getMessage(),
                    e.getCause() == null ? "" : " (cause: " + e.getCause().getClass().getSimpleName() + ")");
        }
        Response.ResponseBuilder response = response(e.status(), e.type(), e.param(), e.code(), e.getMessage());
        e.headers().forEach(response::header);
        return response.build();
    }

    /** A governance store that did not answer in time (an admin call, a key not in memory yet). */
    @ServerExceptionMapper
    public Response storeUnavailable(GovernanceStore.StoreUnavailable e) {
        LOG.warnf("503 store_unavailable: %s", e.getMessage());
        return response(503, ErrorTypes.SERVER, null, "store_unavailable",
                "The gateway's governance store is unreachable right now; please retry.")
                .header("Retry-After", "1").build();
    }

    /** An admin call creating what exists already (a key alias, a team id). */
    @ServerExceptionMapper
    public Response conflict(GovernanceStore.Conflict e) {
        return response(409, ErrorTypes.INVALID_REQUEST, null, "already_exists", e.getMessage()).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest request) {
        return response(404, ErrorTypes.INVALID_REQUEST, null, "unknown_url",
                "Invalid URL (" + request.method() + " " + request.path() + ").").build();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        Response.ResponseBuilder response = response(405, ErrorTypes.INVALID_REQUEST, null, "method_not_allowed",
                "Method " + request.method() + " is not allowed for " + request.path() + ".");
        String allow = e.getResponse().getHeaderString("Allow");
        if (allow != null) {
            response.header("Allow", allow);
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return response(415, ErrorTypes.INVALID_REQUEST, null, "unsupported_media_type",
                "The request body must be JSON, sent with 'Content-Type: application/json'.").build();
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e) {
        return response(406, ErrorTypes.INVALID_REQUEST, null, "not_acceptable",
                "This endpoint answers with application/json; check the Accept header.").build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String type = status >= 500 ? ErrorTypes.SERVER : ErrorTypes.INVALID_REQUEST;
        return response(status, type, null, null, Response.Status.fromStatusCode(status) == null ? "HTTP " + status
                : Response.Status.fromStatusCode(status).getReasonPhrase() + ".").build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (clientGone(e)) {
            // The client hung up while its body was being read: nobody is left to answer, and nothing failed here.
            LOG.debugf("The client left before its request body was read: %s", e.getMessage());
            return Response.status(CLIENT_GONE).build();
        }
        LOG.error("Unexpected failure", e);
        return response(500, ErrorTypes.SERVER, null, "internal_error", "The gateway failed unexpectedly.").build();
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

    private static Response.ResponseBuilder response(int status, String type, String param, String code,
            String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(OpenAiJson.errorBody(message, type, param, code));
    }
}
