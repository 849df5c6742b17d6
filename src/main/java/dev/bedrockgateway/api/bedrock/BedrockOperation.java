package dev.bedrockgateway.api.bedrock;

/**
 * The Bedrock runtime operations relayed under {@code /bedrock/model/{modelId}/...}
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_Operations_Amazon_Bedrock_Runtime.html).
 */
enum BedrockOperation {

    INVOKE("invoke", false),
    INVOKE_STREAM("invoke-with-response-stream", true),
    CONVERSE("converse", false),
    CONVERSE_STREAM("converse-stream", true),
    COUNT_TOKENS("count-tokens", false);

    private final String path;
    private final boolean stream;
    private final String endpoint;

    BedrockOperation(String path, boolean stream) {
        this.path = path;
        this.stream = stream;
        this.endpoint = "bedrock." + path;
    }

    /** The last segment of the operation's path, as Bedrock's endpoint takes it. */
    String path() {
        return path;
    }

    /** Whether the answer is an event stream. */
    boolean stream() {
        return stream;
    }

    /** The name in metrics and the access line: {@code bedrock.invoke}, {@code bedrock.converse-stream}, ... */
    String endpoint() {
        return endpoint;
    }

    /** The operation of a path's last segment, or null. */
    static BedrockOperation of(String path) {
        for (BedrockOperation operation : values()) {
            if (operation.path.equals(path)) {
                return operation;
            }
        }
        return null;
    }
}
