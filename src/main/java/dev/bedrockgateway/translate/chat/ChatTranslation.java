package dev.bedrockgateway.translate.chat;

import java.util.List;
import java.util.Map;

import dev.bedrockgateway.images.FetchedImage;
import dev.bedrockgateway.images.RemoteImage;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import dev.bedrockgateway.translate.ConverseStreams;

/**
 * A chat request translated for one deployment: the Converse request, complete once the remote images it names were
 * fetched ({@link #withImages}), and what the response side needs to know.
 */
public final class ChatTranslation {

    /** The request without its messages, while remote images are missing; null once complete. */
    private final ConverseRequest draft;
    private final Conversation conversation;
    private final ConverseRequest request;
    private final List<String> droppedParams;
    private final String structuredOutputTool;
    private final boolean stream;
    private final boolean includeUsage;

    /** @param draft everything of the request but its messages */
    static ChatTranslation of(ConverseRequest.Builder draft, Conversation conversation, List<String> droppedParams,
            String structuredOutputTool, boolean stream, boolean includeUsage) {
        if (conversation.remoteImages().isEmpty()) {
            return new ChatTranslation(null, conversation, draft.messages(conversation.messages(Map.of())).build(),
                    droppedParams, structuredOutputTool, stream, includeUsage);
        }
        return new ChatTranslation(draft.build(), conversation, null, droppedParams, structuredOutputTool, stream,
                includeUsage);
    }

    private ChatTranslation(ConverseRequest draft, Conversation conversation, ConverseRequest request,
            List<String> droppedParams, String structuredOutputTool, boolean stream, boolean includeUsage) {
        this.draft = draft;
        this.conversation = conversation;
        this.request = request;
        this.droppedParams = droppedParams;
        this.structuredOutputTool = structuredOutputTool;
        this.stream = stream;
        this.includeUsage = includeUsage;
    }

    /** The {@code image_url}s to fetch before the request can be sent; empty for most requests. */
    public List<RemoteImage> remoteImages() {
        return request == null ? conversation.remoteImages() : List.of();
    }

    /**
     * The same translation with the remote images in place, each checked against its declared type.
     *
     * @param fetched the images by URL, holding every one of {@link #remoteImages()}
     */
    public ChatTranslation withImages(Map<String, FetchedImage> fetched) {
        if (request != null) {
            return this;
        }
        return new ChatTranslation(draft, conversation, draft.toBuilder().messages(conversation.messages(fetched))
                .build(), droppedParams, structuredOutputTool, stream, includeUsage);
    }

    /** The Converse request. */
    public ConverseRequest request() {
        if (request == null) {
            throw new IllegalStateException("The remote images of this request were not fetched");
        }
        return request;
    }

    /** The same request for ConverseStream. */
    public ConverseStreamRequest streamRequest() {
        return ConverseStreams.of(request());
    }

    /** Options dropped under {@code drop_params}. */
    public List<String> droppedParams() {
        return droppedParams;
    }

    /** The forced tool whose input is the {@code response_format} answer, or null. */
    public String structuredOutputTool() {
        return structuredOutputTool;
    }

    public boolean stream() {
        return stream;
    }

    /** {@code stream_options.include_usage}: one more last chunk with the usage. */
    public boolean includeUsage() {
        return includeUsage;
    }
}
