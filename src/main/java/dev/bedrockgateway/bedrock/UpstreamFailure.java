package dev.bedrockgateway.bedrock;

import java.util.Map;

import dev.bedrockgateway.error.OpenAiException;

/**
 * A failed Bedrock call, as the client would see it, and whether another attempt may succeed (throttling, 5xx,
 * timeouts, connection failures) — the router retries those, counts them against the deployment's circuit and
 * moves to fallbacks; the others (validation, access, not found) are answered at once.
 */
public final class UpstreamFailure extends OpenAiException {

    private final boolean retryable;

    public UpstreamFailure(int status, String type, String code, String message, Map<String, String> headers,
            Throwable cause, boolean retryable) {
        super(status, type, code, null, message, headers, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Whether {@code failure} is a Bedrock failure worth another attempt. */
    public static boolean isRetryable(Throwable failure) {
        return failure instanceof UpstreamFailure u && u.retryable;
    }
}
