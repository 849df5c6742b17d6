package dev.bedrockgateway.translate.chat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.images.FetchedImage;
import dev.bedrockgateway.images.RemoteImage;
import dev.bedrockgateway.openai.ChatMessage;
import dev.bedrockgateway.openai.ContentPart;
import dev.bedrockgateway.openai.MessageContent;
import dev.bedrockgateway.openai.ToolCall;
import dev.bedrockgateway.translate.DocumentNames;
import dev.bedrockgateway.translate.Invalid;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;

/**
 * {@code messages} -> Bedrock's {@code system} blocks and turns. Bedrock requires alternating user/assistant turns
 * starting with a user turn, so consecutive messages of one role (user+user, tool+tool, tool+user,
 * assistant+assistant) merge into one turn, and messages whose content is empty are left out; {@code system} and
 * {@code developer} messages go to {@code system}, wherever they stand. In a user turn, tool results come first, as
 * Anthropic models require. Empty and whitespace-only text never reaches Bedrock, which rejects it.
 */
final class Conversation {

    private static final CachePointBlock CACHE_POINT = CachePointBlock.builder().type(CachePointType.DEFAULT).build();

    /** A block of a turn: ready, or a remote image that becomes one once fetched. */
    private record Block(ContentBlock ready, RemoteImage remote) {
        boolean isToolResult() {
            return ready != null && ready.toolResult() != null;
        }
    }

    private final boolean toolsAsText;
    private final List<SystemContentBlock> system = new ArrayList<>();
    private final List<ConversationRole> roles = new ArrayList<>();
    private final List<List<Block>> turns = new ArrayList<>();
    private final Set<String> toolNames = new LinkedHashSet<>();
    private final List<RemoteImage> remoteImages = new ArrayList<>();
    private final DocumentNames documentNames = new DocumentNames();
    private boolean toolResults;
    private boolean lastTurnCached;

    /** @param toolsAsText earlier tool calls and results travel as text ({@code tool_choice: none}) */
    private Conversation(boolean toolsAsText) {
        this.toolsAsText = toolsAsText;
    }

    /** The turns of {@code messages}; refuses what Bedrock cannot take, naming the message. */
    static Conversation of(List<ChatMessage> messages, boolean toolsAsText) {
        Conversation conversation = new Conversation(toolsAsText);
        for (int i = 0; i < messages.size(); i++) {
            conversation.add(i, messages.get(i));
        }
        if (conversation.turns.isEmpty()) {
            throw OpenAiException.invalidRequest("messages",
                    "'messages' must contain at least one user message with non-empty content.");
        }
        if (conversation.roles.get(0) != ConversationRole.USER) {
            throw OpenAiException.invalidRequest("messages",
                    "The conversation must start with a user message (after any system messages): Amazon Bedrock"
                            + " requires it.");
        }
        return conversation;
    }

    List<SystemContentBlock> system() {
        return system;
    }

    /** Names used by the history's toolUse blocks, in order of first use. */
    Set<String> toolNamesInHistory() {
        return toolNames;
    }

    /** Image URLs to fetch before {@link #messages} can be built. */
    List<RemoteImage> remoteImages() {
        return remoteImages;
    }

    /** Whether the client placed cache points itself ({@code cache_control}). */
    boolean hasCachePoints() {
        return system.stream().anyMatch(b -> b.cachePoint() != null) || turns.stream().flatMap(List::stream)
                .anyMatch(b -> b.ready() != null && b.ready().cachePoint() != null);
    }

    /** Cache points after the system prompt and after the last turn: the prefix the next request shares. */
    void cacheAtEnd() {
        if (!system.isEmpty()) {
            system.add(SystemContentBlock.fromCachePoint(CACHE_POINT));
        }
        lastTurnCached = true;
    }

    /** The turns as Converse messages, remote images taken from {@code fetched} (which holds every one of them). */
    List<Message> messages(Map<String, FetchedImage> fetched) {
        List<Message> messages = new ArrayList<>(turns.size());
        for (int i = 0; i < turns.size(); i++) {
            List<Block> blocks = turns.get(i);
            List<ContentBlock> content = new ArrayList<>(blocks.size());
            if (roles.get(i) == ConversationRole.USER && toolResults) {
                blocks.stream().filter(Block::isToolResult).forEach(b -> content.add(b.ready()));
                blocks.stream().filter(b -> !b.isToolResult()).forEach(b -> content.add(resolve(b, fetched)));
            } else {
                blocks.forEach(b -> content.add(resolve(b, fetched)));
            }
            if (lastTurnCached && i == turns.size() - 1) {
                content.add(ContentBlock.fromCachePoint(CACHE_POINT));
            }
            messages.add(Message.builder().role(roles.get(i)).content(content).build());
        }
        return messages;
    }

    private static ContentBlock resolve(Block block, Map<String, FetchedImage> fetched) {
        if (block.ready() != null) {
            return block.ready();
        }
        FetchedImage image = fetched.get(block.remote().url());
        if (image == null) {
            throw new IllegalStateException("Remote image not fetched: " + block.remote().param());
        }
        return ContentBlock.fromImage(Images.fromFetched(image, block.remote()));
    }

    private void add(int i, ChatMessage message) {
        String at = "messages[" + i + "]";
        if (message == null) {
            throw Invalid.type(at, "an object");
        }
        if (message instanceof ChatMessage.System s) {
            systemBlocks(s.content(), at);
        } else if (message instanceof ChatMessage.Developer d) {
            systemBlocks(d.content(), at);
        } else if (message instanceof ChatMessage.User u) {
            turn(ConversationRole.USER, userBlocks(u.content(), at));
        } else if (message instanceof ChatMessage.Assistant a) {
            turn(ConversationRole.ASSISTANT, assistantBlocks(a, at));
        } else if (message instanceof ChatMessage.Tool t) {
            String toolCallId = Tools.toolCallId(t, at);
            ContentBlock result = Tools.toolResult(toolCallId, toolResultContent(t.content(), at), toolsAsText);
            toolResults = true;
            turn(ConversationRole.USER, List.of(new Block(result, null)));
        } else {
            throw OpenAiException.invalidRequest(at + ".role", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "Messages with role 'function' are deprecated and not supported; use role 'tool'.");
        }
    }

    /** Appends to the last turn when it has the same role; an empty message adds nothing. */
    private void turn(ConversationRole role, List<Block> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        int last = roles.size() - 1;
        if (last >= 0 && roles.get(last) == role) {
            turns.get(last).addAll(blocks);
        } else {
            roles.add(role);
            turns.add(new ArrayList<>(blocks));
        }
    }

    private void systemBlocks(MessageContent content, String at) {
        if (content instanceof MessageContent.Parts p) {
            for (int j = 0; j < p.parts().size(); j++) {
                if (!(p.parts().get(j) instanceof ContentPart.TextPart text)) {
                    throw OpenAiException.invalidRequest(at + ".content[" + j + "].type",
                            ErrorTypes.CODE_INVALID_VALUE, "Only 'text' content parts are allowed here.");
                }
                if (text.text() != null && !text.text().isBlank()) {
                    system.add(SystemContentBlock.fromText(text.text()));
                }
                if (cachePoint(text.cacheControl(), at + ".content[" + j + "].cache_control") && !system.isEmpty()) {
                    system.add(SystemContentBlock.fromCachePoint(CACHE_POINT));
                }
            }
        } else {
            texts(content, at).forEach(t -> system.add(SystemContentBlock.fromText(t)));
        }
    }

    /**
     * Anthropic-style {@code cache_control: {"type":"ephemeral"}} on a part: a Converse {@code cachePoint} after it
     * (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html).
     */
    private static boolean cachePoint(JsonNode cacheControl, String at) {
        if (cacheControl == null || cacheControl.isNull()) {
            return false;
        }
        if (!cacheControl.isObject() || !"ephemeral".equals(cacheControl.path("type").asText())) {
            throw OpenAiException.invalidRequest(at + ".type", ErrorTypes.CODE_INVALID_VALUE,
                    "cache_control must be {\"type\": \"ephemeral\"}.");
        }
        return true;
    }

    /**
     * A tool message's content: its text, and images sent as {@code data:} URLs (Converse takes images in a tool
     * result; OpenAI's Responses API sends them in a {@code function_call_output}, e.g. Codex's {@code view_image}).
     */
    private static List<ToolResultContentBlock> toolResultContent(MessageContent content, String at) {
        List<ToolResultContentBlock> blocks = new ArrayList<>();
        if (!(content instanceof MessageContent.Parts parts)) {
            texts(content, at).forEach(t -> blocks.add(ToolResultContentBlock.fromText(t)));
            return blocks;
        }
        for (int j = 0; j < parts.parts().size(); j++) {
            String partAt = at + ".content[" + j + "]";
            ContentPart part = parts.parts().get(j);
            if (part instanceof ContentPart.TextPart text) {
                if (text.text() != null && !text.text().isBlank()) {
                    blocks.add(ToolResultContentBlock.fromText(text.text()));
                }
            } else if (part instanceof ContentPart.ImagePart image) {
                if (Images.remote(image, partAt) != null) {
                    throw OpenAiException.invalidRequest(partAt + ".image_url.url", ErrorTypes.CODE_INVALID_VALUE,
                            "Images in tool results must be data URLs: data:image/<type>;base64,<data>.");
                }
                blocks.add(ToolResultContentBlock.fromImage(Images.fromDataUrl(image, partAt)));
            } else {
                throw OpenAiException.invalidRequest(partAt + ".type", ErrorTypes.CODE_INVALID_VALUE,
                        "Only 'text' and 'image_url' content parts are allowed in tool messages.");
            }
        }
        return blocks;
    }

    /** Text of a system/developer/tool message: a string or text parts; empty text is skipped. */
    private static List<String> texts(MessageContent content, String at) {
        List<String> texts = new ArrayList<>();
        if (content == null) {
            return texts;
        }
        if (content instanceof MessageContent.Text t) {
            addIfNotBlank(texts, t.text());
            return texts;
        }
        List<ContentPart> parts = ((MessageContent.Parts) content).parts();
        for (int j = 0; j < parts.size(); j++) {
            if (parts.get(j) instanceof ContentPart.TextPart text) {
                addIfNotBlank(texts, text.text());
            } else {
                throw OpenAiException.invalidRequest(at + ".content[" + j + "].type",
                        ErrorTypes.CODE_INVALID_VALUE, "Only 'text' content parts are allowed here.");
            }
        }
        return texts;
    }

    private static void addIfNotBlank(List<String> texts, String text) {
        if (text != null && !text.isBlank()) {
            texts.add(text);
        }
    }

    private List<Block> userBlocks(MessageContent content, String at) {
        List<Block> blocks = new ArrayList<>();
        if (content == null) {
            throw OpenAiException.invalidRequest(at + ".content", "'content' is required for user messages.");
        }
        if (content instanceof MessageContent.Text t) {
            if (!t.text().isBlank()) {
                blocks.add(new Block(ContentBlock.fromText(t.text()), null));
            }
            return blocks;
        }
        List<ContentPart> parts = ((MessageContent.Parts) content).parts();
        for (int j = 0; j < parts.size(); j++) {
            String partAt = at + ".content[" + j + "]";
            ContentPart part = parts.get(j);
            if (part instanceof ContentPart.TextPart text) {
                if (text.text() != null && !text.text().isBlank()) {
                    blocks.add(new Block(ContentBlock.fromText(text.text()), null));
                }
                if (cachePoint(text.cacheControl(), partAt + ".cache_control") && !blocks.isEmpty()) {
                    blocks.add(new Block(ContentBlock.fromCachePoint(CACHE_POINT), null));
                }
            } else if (part instanceof ContentPart.ImagePart image) {
                RemoteImage remote = Images.remote(image, partAt);
                if (remote == null) {
                    blocks.add(new Block(ContentBlock.fromImage(Images.fromDataUrl(image, partAt)), null));
                } else {
                    remoteImages.add(remote);
                    blocks.add(new Block(null, remote));
                }
                if (cachePoint(image.cacheControl(), partAt + ".cache_control")) {
                    blocks.add(new Block(ContentBlock.fromCachePoint(CACHE_POINT), null));
                }
            } else if (part instanceof ContentPart.AudioPart) {
                throw unsupportedPart(partAt, "input_audio");
            } else if (part instanceof ContentPart.FilePart file) {
                blocks.add(new Block(ContentBlock.fromDocument(Files.toDocument(file, partAt, documentNames)), null));
                if (cachePoint(file.cacheControl(), partAt + ".cache_control")) {
                    blocks.add(new Block(ContentBlock.fromCachePoint(CACHE_POINT), null));
                }
            } else if (part instanceof ContentPart.RefusalPart) {
                throw OpenAiException.invalidRequest(partAt + ".type", ErrorTypes.CODE_INVALID_VALUE,
                        "'refusal' parts are only allowed in assistant messages.");
            } else {
                throw Invalid.type(partAt, "an object");
            }
        }
        return blocks;
    }

    private static OpenAiException unsupportedPart(String at, String type) {
        return OpenAiException.invalidRequest(at + ".type", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                "Content parts of type '" + type + "' are not supported by bedrock-gateway.");
    }

    private List<Block> assistantBlocks(ChatMessage.Assistant a, String at) {
        if (a.audio() != null && !a.audio().isNull()) {
            throw OpenAiException.invalidRequest(at + ".audio", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "Assistant audio is not supported by bedrock-gateway.");
        }
        if (a.functionCall() != null && !a.functionCall().isNull()) {
            throw OpenAiException.invalidRequest(at + ".function_call", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "'function_call' is deprecated and not supported; use 'tool_calls'.");
        }
        List<ContentBlock> blocks = Reasoning.toReasoningBlocks(a.thinkingBlocks(), at + ".thinking_blocks");
        if (a.content() instanceof MessageContent.Text t) {
            if (!t.text().isBlank()) {
                blocks.add(ContentBlock.fromText(t.text()));
            }
        } else if (a.content() instanceof MessageContent.Parts p) {
            for (int j = 0; j < p.parts().size(); j++) {
                ContentPart part = p.parts().get(j);
                String text;
                if (part instanceof ContentPart.TextPart tp) {
                    text = tp.text();
                } else if (part instanceof ContentPart.RefusalPart rp) {
                    text = rp.refusal();
                } else {
                    throw OpenAiException.invalidRequest(at + ".content[" + j + "].type",
                            ErrorTypes.CODE_INVALID_VALUE,
                            "Assistant messages may only hold 'text' and 'refusal' parts.");
                }
                if (text != null && !text.isBlank()) {
                    blocks.add(ContentBlock.fromText(text));
                }
            }
        }
        if (a.refusal() != null && !a.refusal().isBlank()) {
            blocks.add(ContentBlock.fromText(a.refusal()));
        }
        List<ToolCall> calls = a.toolCalls() == null ? List.of() : a.toolCalls();
        for (int j = 0; j < calls.size(); j++) {
            blocks.add(Tools.toolUse(calls.get(j), at + ".tool_calls[" + j + "]", toolsAsText));
            toolNames.add(calls.get(j).function().name());
        }
        return blocks.stream().map(b -> new Block(b, null)).toList();
    }
}
