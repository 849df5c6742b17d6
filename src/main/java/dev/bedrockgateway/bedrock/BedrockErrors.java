package dev.bedrockgateway.bedrock;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * The one table from Bedrock failures to what the client sees. Bedrock's errors are listed at
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors.
 *
 * <pre>
 * Bedrock / SDK failure            HTTP  error.type             error.code            retried by the router
 * ValidationException              400   invalid_request_error  invalid_request       no
 * AccessDeniedException            403   permission_error       access_denied         no
 * ResourceNotFoundException        404   invalid_request_error  model_not_found       no
 * ThrottlingException              429   rate_limit_error       rate_limit_exceeded   yes (Retry-After)
 * ServiceQuotaExceededException    429   rate_limit_error       quota_exceeded        no  (Retry-After)
 * ModelNotReadyException           503   server_error           model_not_ready       yes (Retry-After)
 * ServiceUnavailableException      503   server_error           service_unavailable   yes (Retry-After)
 * ModelTimeoutException            504   server_error           timeout               yes
 * SDK call/attempt timeout         504   server_error           timeout               yes
 * InternalServerException          502   server_error           upstream_error        yes
 * other AWS service error, 5xx     502   server_error           upstream_error        yes
 * ModelErrorException              502   server_error           upstream_error        no
 * ModelStreamErrorException (mid-stream) 502 server_error     upstream_error        no (bytes were sent)
 * other AWS service error, 4xx     502   server_error           upstream_error        no
 * connection / credentials failure 502   server_error           upstream_unreachable  yes (credentials: the SDK's reason in the message)
 * </pre>
 *
 * Only the messages of the modelled exceptions above are passed on: other AWS errors (e.g. a signature mismatch,
 * whose message quotes the canonical request) are summarised by error code, so no signing detail reaches a client.
 */
public final class BedrockErrors {

    /** Bedrock gives no back-off hint; one second is what its throttling usually needs. */
    static final String RETRY_AFTER_SECONDS = "1";

    private BedrockErrors() {
    }

    public static OpenAiException toOpenAi(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof OpenAiException e) {
            return e;
        }
        if (t instanceof ValidationException e) {
            return error(400, ErrorTypes.INVALID_REQUEST, "invalid_request", "Bedrock rejected the request: "
                    + message(e), null, e, false);
        }
        if (t instanceof AccessDeniedException e) {
            return error(403, ErrorTypes.PERMISSION, "access_denied", "Bedrock denied access: " + message(e),
                    null, e, false);
        }
        if (t instanceof ResourceNotFoundException e) {
            return error(404, ErrorTypes.INVALID_REQUEST, ErrorTypes.CODE_MODEL_NOT_FOUND,
                    "Bedrock could not find the model: " + message(e), null, e, false);
        }
        if (t instanceof ThrottlingException e) {
            return error(429, ErrorTypes.RATE_LIMIT, ErrorTypes.CODE_RATE_LIMIT,
                    "Bedrock is throttling requests for this model: " + message(e), RETRY_AFTER_SECONDS, e, true);
        }
        if (t instanceof ServiceQuotaExceededException e) {
            return error(429, ErrorTypes.RATE_LIMIT, "quota_exceeded",
                    "Bedrock service quota exceeded: " + message(e), RETRY_AFTER_SECONDS, e, false);
        }
        if (t instanceof ModelNotReadyException e) {
            return error(503, ErrorTypes.SERVER, "model_not_ready", "The Bedrock model is not ready: " + message(e),
                    RETRY_AFTER_SECONDS, e, true);
        }
        if (t instanceof ServiceUnavailableException e) {
            return error(503, ErrorTypes.SERVER, "service_unavailable", "Bedrock is unavailable: " + message(e),
                    RETRY_AFTER_SECONDS, e, true);
        }
        if (t instanceof ModelTimeoutException e) {
            return error(504, ErrorTypes.SERVER, "timeout", "The Bedrock model timed out: " + message(e), null, e, true);
        }
        if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
            return error(504, ErrorTypes.SERVER, "timeout", "The call to Bedrock timed out.", null, t, true);
        }
        if (t instanceof InternalServerException || t instanceof ModelErrorException
                || t instanceof ModelStreamErrorException) {
            return error(502, ErrorTypes.SERVER, "upstream_error", "Bedrock failed: " + message((AwsServiceException) t),
                    null, t, t instanceof InternalServerException);
        }
        if (t instanceof AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            return error(502, ErrorTypes.SERVER, "upstream_error",
                    "Bedrock failed (" + (code == null ? "unknown error" : code) + ", HTTP " + e.statusCode() + ").",
                    null, e, e.statusCode() >= 500);
        }
        if (t instanceof SdkClientException e && isCredentialsFailure(e)) {
            // The SDK's reason names the providers it tried and why each failed; it carries no secret.
            return error(502, ErrorTypes.SERVER, "upstream_unreachable",
                    "The gateway has no AWS credentials to call Bedrock with: " + e.getMessage(), null, t, true);
        }
        if (t instanceof SdkClientException) {
            return error(502, ErrorTypes.SERVER, "upstream_unreachable",
                    "The gateway could not complete the call to Bedrock (connection failure).", null, t, true);
        }
        return error(500, ErrorTypes.SERVER, "internal_error", "The gateway failed unexpectedly.", null, t, false);
    }

    /** Whether the SDK failed for want of credentials (its default chain found none, or a provider refused). */
    public static boolean isCredentialsFailure(SdkClientException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials");
    }

    /**
     * A failure Bedrock answered on the wire, read by the gateway itself rather than by the SDK (the relay of Bedrock's
     * own API, {@link BedrockRelay}): the same failure the SDK's modelled exception for that error code would be, so
     * that this table stays the one place deciding status, type and retries. The SDK exception built here is the
     * cause, so Bedrock's own code and status reach a client of Bedrock's API ({@code api.bedrock.BedrockApiErrors}).
     *
     * @param errorCode {@code x-amzn-ErrorType} (anything after ':' is dropped), a body's {@code __type} (anything
     *        up to '#' is dropped), or an event stream's {@code :exception-type} ({@code throttlingException})
     * @param status the HTTP status Bedrock answered with, or 0 for an exception frame (which has none): then the
     *        status Bedrock documents for the error
     * @param message Bedrock's message, may be null
     * @param requestId {@code x-amzn-RequestId}, may be null
     */
    public static UpstreamFailure fromBedrock(String errorCode, int status, String message, String requestId) {
        String code = errorCode(errorCode);
        AwsServiceException.Builder builder = switch (code == null ? "" : code) {
            case "ValidationException" -> ValidationException.builder();
            case "AccessDeniedException" -> AccessDeniedException.builder();
            case "ResourceNotFoundException" -> ResourceNotFoundException.builder();
            case "ThrottlingException" -> ThrottlingException.builder();
            case "ServiceQuotaExceededException" -> ServiceQuotaExceededException.builder();
            case "ModelNotReadyException" -> ModelNotReadyException.builder();
            case "ServiceUnavailableException" -> ServiceUnavailableException.builder();
            case "ModelTimeoutException" -> ModelTimeoutException.builder();
            case "InternalServerException" -> InternalServerException.builder();
            case "ModelErrorException" -> ModelErrorException.builder();
            case "ModelStreamErrorException" -> ModelStreamErrorException.builder();
            default -> BedrockRuntimeException.builder();
        };
        int httpStatus = status > 0 ? status : documentedStatus(code);
        AwsServiceException e = builder
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                        .serviceName("BedrockRuntime").build())
                .statusCode(httpStatus).requestId(requestId).message(message).build();
        OpenAiException failure = toOpenAi(e);
        return failure instanceof UpstreamFailure upstream ? upstream
                : new UpstreamFailure(failure.status(), failure.type(), failure.code(), failure.getMessage(),
                        failure.headers(), e, false);
    }

    /**
     * The exception name in an error code as Bedrock writes it: {@code ValidationException:http://internal...} (the
     * header's namespace suffix), {@code com.amazon.coral#ValidationException} (a body's {@code __type}), or an
     * event stream member {@code validationException}; null when there is none.
     */
    static String errorCode(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String code = raw.trim();
        int colon = code.indexOf(':');
        if (colon >= 0) {
            code = code.substring(0, colon);
        }
        int hash = code.lastIndexOf('#');
        if (hash >= 0) {
            code = code.substring(hash + 1);
        }
        if (code.isEmpty()) {
            return null;
        }
        return Character.toUpperCase(code.charAt(0)) + code.substring(1);
    }

    /**
     * The status Bedrock documents for an error (its API reference, "Errors" of InvokeModelWithResponseStream and
     * ConverseStream); an exception frame in a stream carries none.
     */
    static int documentedStatus(String code) {
        if (code == null) {
            return 500;
        }
        return switch (code) {
            case "ValidationException", "ServiceQuotaExceededException" -> 400;
            case "AccessDeniedException" -> 403;
            case "ResourceNotFoundException" -> 404;
            case "ModelTimeoutException" -> 408;
            case "ModelErrorException", "ModelStreamErrorException" -> 424;
            case "ThrottlingException", "ModelNotReadyException" -> 429;
            case "ServiceUnavailableException" -> 503;
            default -> 500;
        };
    }

    /** The failure inside the futures' wrappers. */
    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** The service's own message, without the SDK's suffix of service name, status and request id. */
    private static String message(AwsServiceException e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null) {
            return e.awsErrorDetails().errorMessage();
        }
        return "(no message)";
    }

    private static OpenAiException error(int status, String type, String code, String message, String retryAfter,
            Throwable cause, boolean retryable) {
        Map<String, String> headers = retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter);
        return new UpstreamFailure(status, type, code, message, headers, cause, retryable);
    }
}
