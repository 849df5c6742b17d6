package dev.bedrockgateway.translate.completions;

import java.util.ArrayList;
import java.util.List;

import dev.bedrockgateway.openai.TextCompletion;
import dev.bedrockgateway.openai.Usage;
import dev.bedrockgateway.translate.FinishReasons;
import dev.bedrockgateway.translate.Usages;
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
                    FinishReasons.forCompletion(response.stopReasonAsString())));
            Usage usage = Usages.fromTokenUsage(response.usage());
            prompt += usage.promptTokens();
            completion += usage.completionTokens();
            cached += usage.promptTokensDetails().cachedTokens();
        }
        return new TextCompletion(id, TextCompletion.OBJECT, created, model, choices,
                new Usage(prompt, completion, prompt + completion, new Usage.PromptTokensDetails(cached)));
    }
}
