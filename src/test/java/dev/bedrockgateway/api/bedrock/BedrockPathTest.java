package dev.bedrockgateway.api.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.error.OpenAiException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Model id and operation of a path under /bedrock/model/, as the SDKs encode them. */
class BedrockPathTest {

    @Test
    void idsWithColonsAndArnsWithSlashes() {
        assertEquals(new BedrockPath("us.anthropic.claude-sonnet-4-5-20250929-v1:0", BedrockOperation.INVOKE_STREAM),
                BedrockPath.parse("/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/"
                        + "invoke-with-response-stream"));
        String arn = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123";
        assertEquals(new BedrockPath(arn, BedrockOperation.CONVERSE), BedrockPath.parse(
                "/bedrock/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3Aapplication-inference-profile%2Fabc123"
                        + "/converse"));
        assertEquals(new BedrockPath(arn, BedrockOperation.CONVERSE_STREAM),
                BedrockPath.parse("/bedrock/model/" + arn + "/converse-stream"));
        assertEquals(new BedrockPath("a+b", BedrockOperation.COUNT_TOKENS),
                BedrockPath.parse("/bedrock/model/a+b/count-tokens"));
        assertEquals(new BedrockPath("gpt-4o", BedrockOperation.INVOKE), BedrockPath.parse("/bedrock/model/gpt-4o/invoke"));
    }

    @Test
    void unknownOperationsAreBedrocksOwn404() {
        for (String path : new String[] {"/bedrock/model/gpt-4o/invoke-async", "/bedrock/model/invoke",
                "/bedrock/model//invoke", "/bedrock/model/gpt-4o/invoke/"}) {
            OpenAiException e = assertThrows(OpenAiException.class, () -> BedrockPath.parse(path), path);
            assertEquals(404, e.status());
            assertEquals("UnknownOperationException",
                    ((AwsServiceException) e.getCause()).awsErrorDetails().errorCode());
        }
        assertEquals(400, assertThrows(OpenAiException.class,
                () -> BedrockPath.parse("/bedrock/model/bad%zz/invoke")).status());
    }
}
