package dev.bedrockgateway.api.bedrock;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * What a path under {@code /bedrock/model/} names: the model id and the operation. Read from the raw path: the
 * SDKs percent-encode the model id as one segment ({@code :} as {@code %3A}, the {@code /} of an ARN as {@code %2F}),
 * so the operation is the last segment and everything before it, decoded, is the model id (an ARN sent with its
 * slashes unencoded reads the same).
 */
record BedrockPath(String modelId, BedrockOperation operation) {

    static final String PREFIX = "/bedrock/model/";

    /**
     * @throws OpenAiException 404 {@code UnknownOperationException} (Bedrock's own answer) for an operation it does
     *         not have or no model id, 400 for a model id that is not validly percent-encoded
     */
    static BedrockPath parse(String rawPath) {
        String rest = rawPath != null && rawPath.startsWith(PREFIX) ? rawPath.substring(PREFIX.length()) : "";
        int slash = rest.lastIndexOf('/');
        BedrockOperation operation = slash > 0 ? BedrockOperation.of(rest.substring(slash + 1)) : null;
        if (operation == null) {
            throw unknownOperation(rawPath);
        }
        String modelId;
        try {
            // '+' is literal in a path, unlike in the form encoding URLDecoder implements.
            modelId = URLDecoder.decode(rest.substring(0, slash).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OpenAiException.invalidRequest("modelId", "The provided model identifier is invalid.");
        }
        if (modelId.isBlank()) {
            throw unknownOperation(rawPath);
        }
        return new BedrockPath(modelId, operation);
    }

    /** As Bedrock answers a path it has no operation for. */
    private static OpenAiException unknownOperation(String path) {
        String message = "No Bedrock runtime operation for POST " + path + ".";
        AwsServiceException bedrocks = AwsServiceException.builder().statusCode(404).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("UnknownOperationException").errorMessage(message)
                        .build())
                .build();
        return new OpenAiException(404, ErrorTypes.INVALID_REQUEST, "unknown_url", null, message, java.util.Map.of(),
                bedrocks);
    }
}
