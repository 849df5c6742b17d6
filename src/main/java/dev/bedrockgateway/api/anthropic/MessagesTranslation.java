package dev.bedrockgateway.api.anthropic;

import java.util.List;

import dev.bedrockgateway.translate.claude.ClaudeInvoke;
import dev.bedrockgateway.translate.messages.MessagesConverse;

/**
 * A Messages request as one deployment takes it: Claude on InvokeModel with Anthropic's own body, any other model on
 * Converse. Each deployment of a model (group siblings, fallbacks) gets its own, so a Claude model may fall back to
 * another family.
 */
sealed interface MessagesTranslation {

    /** What was changed or dropped for the deployment, for the {@code x-bedrock-gateway-adapted} header. */
    List<String> adaptations();

    /** Whether the client asked for a stream of events. */
    boolean stream();

    record ToClaude(ClaudeInvoke invoke, boolean stream) implements MessagesTranslation {
        @Override
        public List<String> adaptations() {
            return invoke.adaptations();
        }
    }

    record ToConverse(MessagesConverse converse, boolean stream) implements MessagesTranslation {
        @Override
        public List<String> adaptations() {
            return converse.dropped();
        }
    }
}
