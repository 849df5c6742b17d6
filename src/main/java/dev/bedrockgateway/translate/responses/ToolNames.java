package dev.bedrockgateway.translate.responses;

/**
 * Names of the function tools a {@code namespace} tool groups, as Bedrock sees them: one flat name per tool,
 * {@code <namespace>__<name>}, split again when the model calls it.
 */
final class ToolNames {

    static final String SEPARATOR = "__";

    private ToolNames() {
    }

    static String join(String namespace, String name) {
        return namespace + SEPARATOR + name;
    }
}
