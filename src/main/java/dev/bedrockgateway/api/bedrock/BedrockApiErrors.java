package dev.bedrockgateway.api.bedrock;

import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.bedrockgateway.anthropic.AnthropicJson;
import dev.bedrockgateway.api.ErrorReply;
import dev.bedrockgateway.error.OpenAiException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;

/**
 * Bedrock's own error shape on the {@code /bedrock/} routes, so that the AWS SDKs raise their modelled exceptions:
 * the error code in {@code x-amzn-ErrorType}, the message in {@code {"message":...}} (restJson1,
 * https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization). An error Bedrock
 * itself answered keeps its code, status and (for the errors Bedrock models) message; the gateway's own refusals take
 * the code Bedrock uses for the same situation:
 *
 * <pre>
 * gateway status   Bedrock status  x-amzn-ErrorType
 * 400, 405, 413..  same            ValidationException
 * 401, 403         403             AccessDeniedException (Bedrock answers a bad key or signature with 403)
 * 404              404             ResourceNotFoundException (also an unknown model id: what Claude Code probes)
 * 408, 504         408             ModelTimeoutException
 * 429              429             ThrottlingException (ServiceQuotaExceededException when Bedrock said so)
 * 429 budget spent 400             ServiceQuotaExceededException, Bedrock's status for it: the AWS SDKs retry every
 *                                  429, which a spent budget does not deserve
 * 503              503             ServiceUnavailableException
 * other 5xx        500             InternalServerException
 * </pre>
 */
public final class BedrockApiErrors {

    public static final String ERROR_TYPE = "x-amzn-ErrorType";
    /** The code of the gateway's refusal of a key or team whose budget is spent ({@code governance.Governance}). */
    private static final String BUDGET_SPENT = "insufficient_quota";

    private BedrockApiErrors() {
    }

    public static ErrorReply reply(OpenAiException e) {
        AwsServiceException upstream = upstream(e);
        String code;
        int status;
        String message = e.getMessage();
        if (upstream != null && upstream.awsErrorDetails() != null
                && upstream.awsErrorDetails().errorCode() != null) {
            code = upstream.awsErrorDetails().errorCode();
            status = upstream.statusCode();
            if (modelled(upstream) && upstream.awsErrorDetails().errorMessage() != null) {
                message = upstream.awsErrorDetails().errorMessage();
            }
        } else {
            code = code(e);
            status = BUDGET_SPENT.equals(e.code()) ? 400 : status(e.status());
        }
        byte[] body = AnthropicJson.write(JsonNodeFactory.instance.objectNode().put("message", message));
        return new ErrorReply(status, Map.of(ERROR_TYPE, code), body);
    }

    /** The exception name Bedrock uses, for a failure of the gateway's own. */
    public static String code(OpenAiException e) {
        return switch (e.status()) {
            case 401, 403 -> "AccessDeniedException";
            case 404 -> "ResourceNotFoundException";
            case 408, 504 -> "ModelTimeoutException";
            case 429 -> "quota_exceeded".equals(e.code()) || BUDGET_SPENT.equals(e.code())
                    ? "ServiceQuotaExceededException" : "ThrottlingException";
            case 503 -> "ServiceUnavailableException";
            default -> e.status() >= 500 ? "InternalServerException" : "ValidationException";
        };
    }

    private static int status(int status) {
        return switch (status) {
            case 401 -> 403;
            case 504 -> 408;
            case 503, 429 -> status;
            default -> status >= 500 ? 500 : status;
        };
    }

    /**
     * One of Bedrock's modelled errors, whose message is Bedrock's own words for the client (the same the AWS SDK would
     * show it); other AWS errors (a signature mismatch quotes the gateway's canonical request) keep the gateway's
     * summary.
     */
    private static boolean modelled(AwsServiceException e) {
        return e instanceof BedrockRuntimeException && e.getClass() != BedrockRuntimeException.class;
    }

    private static AwsServiceException upstream(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException aws) {
                return aws;
            }
        }
        return null;
    }
}
