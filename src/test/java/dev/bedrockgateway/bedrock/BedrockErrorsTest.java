package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/** {@link BedrockErrors#fromBedrock}: an error read off the wire is what the SDK's exception for it would be. */
class BedrockErrorsTest {

    @Test
    void anErrorCodeReadsAsBedrockWritesItInHeadersBodiesAndFrames() {
        assertEquals("ValidationException",
                BedrockErrors.errorCode("ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"));
        assertEquals("ValidationException", BedrockErrors.errorCode("com.amazon.coral.validate#ValidationException"));
        assertEquals("ThrottlingException", BedrockErrors.errorCode("throttlingException"));
        assertNull(BedrockErrors.errorCode(" "));
        assertNull(BedrockErrors.errorCode(null));
    }

    @Test
    void theSameFailureAsTheSdksModelledException() {
        UpstreamFailure wire = BedrockErrors.fromBedrock("ThrottlingException:http://internal", 429, "Too many", "r-1");
        UpstreamFailure sdk = (UpstreamFailure) BedrockErrors.toOpenAi(ThrottlingException.builder().message("Too many")
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                        .errorCode("ThrottlingException").errorMessage("Too many").build())
                .statusCode(429).build());
        assertEquals(sdk.status(), wire.status());
        assertEquals(sdk.code(), wire.code());
        assertEquals(sdk.getMessage(), wire.getMessage());
        assertEquals(sdk.headers(), wire.headers());
        assertEquals(sdk.retryable(), wire.retryable());
        AwsServiceException cause = assertInstanceOf(ThrottlingException.class, wire.getCause());
        assertEquals(429, cause.statusCode());
        assertEquals("ThrottlingException", cause.awsErrorDetails().errorCode());
        assertEquals("r-1", cause.requestId());
    }

    @Test
    void anExceptionFrameTakesTheStatusBedrockDocuments() {
        UpstreamFailure failure = BedrockErrors.fromBedrock("internalServerException", 0, "boom", null);
        assertTrue(failure.retryable());
        assertEquals(500, ((AwsServiceException) failure.getCause()).statusCode());
        assertInstanceOf(InternalServerException.class, failure.getCause());
        assertEquals(424, ((AwsServiceException) BedrockErrors.fromBedrock("modelStreamErrorException", 0, "x", null)
                .getCause()).statusCode());
    }

    @Test
    void anUnmodelledErrorIsSummarisedAndKeepsItsCode() {
        UpstreamFailure failure = BedrockErrors.fromBedrock("UnrecognizedClientException", 403,
                "The security token included in the request is invalid.", null);
        assertEquals(502, failure.status());
        assertFalse(failure.retryable());
        assertFalse(failure.getMessage().contains("security token"), failure.getMessage());
        assertEquals("UnrecognizedClientException",
                ((AwsServiceException) failure.getCause()).awsErrorDetails().errorCode());
        assertTrue(BedrockErrors.fromBedrock(null, 502, null, null).retryable());
    }
}
