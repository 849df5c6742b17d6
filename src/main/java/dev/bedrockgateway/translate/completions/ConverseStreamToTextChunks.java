package dev.bedrockgateway.translate.completions;

import java.util.List;

import dev.bedrockgateway.openai.TextCompletion;
import dev.bedrockgateway.translate.FinishReasons;
import dev.bedrockgateway.translate.Usages;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;

/** ConverseStream events -> legacy {@code text_completion} chunks; one instance per response. */
public final class ConverseStreamToTextChunks {

    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;
    private final String echo;

    /** @param echo the prompt, sent first when {@code echo} was asked, else null */
    public ConverseStreamToTextChunks(String id, long created, String model, boolean includeUsage, String echo) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.includeUsage = includeUsage;
        this.echo = echo;
    }

    public List<TextCompletion> onEvent(ConverseStreamOutput event) {
        if (event instanceof MessageStartEvent) {
            return echo == null ? List.of() : List.of(chunk(echo, null));
        }
        if (event instanceof ContentBlockDeltaEvent delta && delta.delta() != null && delta.delta().text() != null
                && !delta.delta().text().isEmpty()) {
            return List.of(chunk(delta.delta().text(), null));
        }
        if (event instanceof MessageStopEvent stop) {
            return List.of(chunk("", FinishReasons.forCompletion(stop.stopReasonAsString())));
        }
        if (event instanceof ConverseStreamMetadataEvent metadata && includeUsage) {
            return List.of(new TextCompletion(id, TextCompletion.OBJECT, created, model, List.of(),
                    Usages.fromTokenUsage(metadata.usage())));
        }
        return List.of();
    }

    private TextCompletion chunk(String text, String finishReason) {
        return new TextCompletion(id, TextCompletion.OBJECT, created, model,
                List.of(new TextCompletion.Choice(text, 0, null, finishReason)), null);
    }
}
