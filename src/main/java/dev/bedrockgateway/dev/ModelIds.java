package dev.bedrockgateway.dev;

import java.util.List;

/**
 * What the simulator reads from a model id: base id ({@code anthropic.claude-sonnet-4-5-20250929-v1:0}),
 * cross-region inference profile id ({@code us.} + base id) or ARN (of a foundation model or an inference profile).
 */
final class ModelIds {

    /** Geography prefixes of cross-region inference profile ids, e.g. {@code us.amazon.titan-embed-text-v2:0}. */
    private static final List<String> CROSS_REGION_PREFIXES =
            List.of("us.", "us-gov.", "eu.", "apac.", "jp.", "au.", "ca.", "global.");

    private ModelIds() {
    }

    /** The foundation-model id inside an ARN and/or a cross-region inference profile id. */
    static String foundationModel(String modelId) {
        String id = lastSegment(modelId);
        String prefix = crossRegionPrefix(id);
        return prefix == null ? id : id.substring(prefix.length());
    }

    /**
     * Whether {@code modelId} names a foundation model itself, by id or ARN, rather than an inference profile: what
     * CountTokens takes (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CountTokens.html).
     */
    static boolean isFoundationModel(String modelId) {
        return !modelId.contains("inference-profile/") && crossRegionPrefix(lastSegment(modelId)) == null;
    }

    private static String lastSegment(String modelId) {
        return modelId.substring(modelId.lastIndexOf('/') + 1);
    }

    private static String crossRegionPrefix(String id) {
        for (String prefix : CROSS_REGION_PREFIXES) {
            if (id.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }
}
