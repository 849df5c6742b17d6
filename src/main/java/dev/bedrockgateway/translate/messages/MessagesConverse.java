package dev.bedrockgateway.translate.messages;

import java.util.List;

import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;

/**
 * An Anthropic Messages request translated for Converse.
 *
 * @param request the Converse request
 * @param streamRequest the same request for ConverseStream
 * @param dropped the JSON paths of what was left out on purpose ({@code metadata},
 *        {@code tool_choice.disable_parallel_tool_use}, earlier thinking blocks, citations), for the caller to report
 */
public record MessagesConverse(ConverseRequest request, ConverseStreamRequest streamRequest, List<String> dropped) {

    public MessagesConverse {
        dropped = List.copyOf(dropped);
    }
}
