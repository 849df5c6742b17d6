package dev.bedrockgateway.translate;

import java.util.ArrayList;
import java.util.List;

import dev.bedrockgateway.openai.TextCompletion;
import dev.bedrockgateway.openai.Usage;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/** Converse responses (one per prompt) -> a legacy {@code text_completion}. */
public final class ConverseToCompletion {

    private ConverseToCompletion() {
    }

    public static TextCompletion toTextCompletion(List<ConverseResponse> responses, CompletionsToConverse.Translation
            translation, String id, long created, String model) {
        List<TextCompletion.Choice> choices = new ArrayList<>(responses.size());
        int prompt = 0;
        int completion = 0;
        int cached = 0;
        for (int i = 0; i < responses.size(); i++) {
            ConverseResponse response = responses.get(i);
            StringBuilder text = new StringBuilder(translation.echo() ? translation.prompts().get(i) : "");
            if (response.output() != null && response.output().message() != null) {
                for (ContentBlock block : response.output().message().content()) {
                    if (block.text() != null) {
                        text.append(block.text());
                    }
                }
            }
            choices.add(new TextCompletion.Choice(text.toString(), i, null,
                    finishReason(response.stopReasonAsString())));
            Usage usage = Usages.fromTokenUsage(response.usage());
            prompt += usage.promptTokens();
            completion += usage.completionTokens();
            cached += usage.promptTokensDetails().cachedTokens();
        }
        return new TextCompletion(id, TextCompletion.OBJECT, created, model, choices,
                new Usage(prompt, completion, prompt + completion, new Usage.PromptTokensDetails(cached)));
    }

    /** The legacy enum has no tool_calls: stop, length and content_filter only. */
    static String finishReason(String stopReason) {
        String reason = FinishReasons.fromStopReason(stopReason);
        return FinishReasons.TOOL_CALLS.equals(reason) ? FinishReasons.STOP : reason;
    }
}
