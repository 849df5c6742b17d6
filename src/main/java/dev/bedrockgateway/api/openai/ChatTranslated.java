package dev.bedrockgateway.api.openai;

import java.util.List;
import java.util.Map;

import dev.bedrockgateway.images.FetchedImage;
import dev.bedrockgateway.images.RemoteImage;
import dev.bedrockgateway.pipeline.Surface;
import dev.bedrockgateway.translate.chat.ChatTranslation;

/**
 * A surface whose requests the chat translator makes into Converse requests (chat completions, and the Responses API
 * through the chat request it amounts to): the remote images a translation names, and the translation with them.
 */
interface ChatTranslated<Q> extends Surface<Q, ChatTranslation> {

    @Override
    default List<RemoteImage> remoteImages(ChatTranslation translation) {
        return translation.remoteImages();
    }

    @Override
    default ChatTranslation withImages(ChatTranslation translation, Map<String, FetchedImage> images) {
        return translation.withImages(images);
    }
}
