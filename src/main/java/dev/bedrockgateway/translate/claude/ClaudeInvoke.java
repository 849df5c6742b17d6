package dev.bedrockgateway.translate.claude;

import java.util.List;

/**
 * A Messages request as one Claude deployment takes it on InvokeModel.
 *
 * @param body Bedrock's request body
 * @param adaptations what was changed for the model, one entry each (the {@code x-bedrock-gateway-adapted} header)
 */
public record ClaudeInvoke(byte[] body, List<String> adaptations) {
}
