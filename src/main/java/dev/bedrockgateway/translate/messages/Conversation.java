package dev.bedrockgateway.translate.messages;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.translate.Documents;
import dev.bedrockgateway.translate.Invalid;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * {@code system} and {@code messages} -> Converse {@code system} blocks and turns
 * (https://docs.anthropic.com/en/api/messages, https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html).
 * <ul>
 * <li>{@code system}: a string or text blocks -> system text blocks. A {@code role: "system"} message inside
 * {@code messages}, as Claude Code sends them, adds its text to the system blocks wherever it stands.</li>
 * <li>Turns: Anthropic and Converse both want alternating user/assistant turns starting with a user turn; consecutive
 * messages of one role merge into one turn, as Anthropic itself combines them, in the order sent. Empty and
 * whitespace-only text, which Converse rejects, is left out, and a message left empty adds nothing.</li>
 * <li>{@code cache_control} on any block, and the top-level {@code cache_control} (Anthropic's automatic caching of
 * the last block), -> a {@code cachePoint} after that block where the model takes one ({@link CacheControls}).
 * Converse has no cache point inside a tool result, so a {@code cache_control} on a block inside
 * {@code tool_result.content} puts the cache point right after the tool result.</li>
 * <li>{@code tool_use} -> {@code toolUse} (input as a Document), {@code tool_result} -> {@code toolResult} (string or
 * text, image and document blocks). {@code is_error: true} -> {@code status: error} where Converse takes a status
 * (Amazon Nova, {@link NovaModels}); other models refuse the field, so there the result's content opens with the text
 * {@code [tool error]} instead, and the error still reaches the model. A tool_result whose
 * {@code tool_use_id} names no earlier tool_use is refused, as Anthropic refuses it. Under {@code tool_choice: none}
 * both travel as text, so that no toolConfig is needed ({@link Tools}).</li>
 * <li>{@code thinking} and {@code redacted_thinking} blocks of earlier answers are left out and reported in
 * {@code dropped}: this path serves models that take no Claude reasoning (a {@code thinking} request is refused),
 * Bedrock refuses reasoning content for them ("User messages cannot contain reasoning content" for DeepSeek R1,
 * https://github.com/aws-samples/bedrock-chat/issues/845) or wants a signature only Claude makes, and Anthropic itself
 * ignores the thinking of earlier turns
 * (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#how-context-window-is-calculated-with-extended-thinking).</li>
 * <li>{@code citations} on a text block of an earlier answer are left out, the text kept, and reported in
 * {@code dropped}: Converse takes no citation annotations on plain text.</li>
 * <li>Server tool blocks ({@code server_tool_use}, {@code web_search_tool_result}, ...) and {@code search_result}
 * blocks are refused: only Anthropic runs those tools, and Converse has no twin for them on these models.</li>
 * </ul>
 */
final class Conversation {

    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content");
    private static final Set<String> TEXT_FIELDS = Set.of("type", "text", "cache_control", "citations");
    private static final Set<String> TOOL_USE_FIELDS = Set.of("type", "id", "name", "input", "cache_control");
    private static final Set<String> TOOL_RESULT_FIELDS = Set.of("type", "tool_use_id", "content", "is_error",
            "cache_control");
    private static final Set<String> THINKING_FIELDS = Set.of("type", "thinking", "signature");
    private static final Set<String> REDACTED_THINKING_FIELDS = Set.of("type", "data");
    /** Blocks of Anthropic's server tools and MCP connector, which only Anthropic runs. */
    private static final Set<String> SERVER_TOOL_BLOCKS = Set.of("server_tool_use", "web_search_tool_result",
            "web_fetch_tool_result", "code_execution_tool_result", "bash_code_execution_tool_result",
            "text_editor_code_execution_tool_result", "tool_search_tool_result", "mcp_tool_use", "mcp_tool_result",
            "container_upload");

    private final boolean toolsAsText;
    private final boolean toolStatus;
    private final Attachments attachments;
    private final CacheControls cacheControls;
    private final List<String> dropped;
    private final List<SystemContentBlock> system = new ArrayList<>();
    private final List<ConversationRole> roles = new ArrayList<>();
    private final List<List<ContentBlock>> turns = new ArrayList<>();
    private final Set<String> toolNames = new LinkedHashSet<>();
    private final Set<String> toolUseIds = new HashSet<>();
    private int firstTurnMessage = -1;

    /**
     * @param toolsAsText earlier tool calls and results travel as text ({@code tool_choice: none})
     * @param toolStatus the model takes a tool result's {@code status}
     * @param dropped where what is left out is reported
     */
    private Conversation(boolean toolsAsText, boolean toolStatus, Attachments attachments,
            CacheControls cacheControls, List<String> dropped) {
        this.toolsAsText = toolsAsText;
        this.toolStatus = toolStatus;
        this.attachments = attachments;
        this.cacheControls = cacheControls;
        this.dropped = dropped;
    }

    static Conversation of(ObjectNode request, boolean toolsAsText, boolean toolStatus, Attachments attachments,
            CacheControls cacheControls, List<String> dropped) {
        Conversation conversation = new Conversation(toolsAsText, toolStatus, attachments, cacheControls, dropped);
        JsonNode system = Fields.optional(request, "system");
        if (system != null) {
            conversation.systemBlocks(system, "system");
        }
        JsonNode messages = Fields.required(request, "messages", "");
        if (!messages.isArray()) {
            throw Invalid.type("messages", "an array");
        }
        for (int i = 0; i < messages.size(); i++) {
            conversation.message(messages.get(i), Fields.index("messages", i), i);
        }
        if (conversation.turns.isEmpty()) {
            throw OpenAiException.invalidRequest("messages",
                    "messages: at least one user message with non-empty content is required.");
        }
        if (conversation.roles.get(0) != ConversationRole.USER) {
            String at = Fields.path(Fields.index("messages", conversation.firstTurnMessage), "role");
            throw OpenAiException.invalidRequest(at, at + ": the conversation must start with a user message (after"
                    + " any system messages); Amazon Bedrock requires it.");
        }
        CachePointBlock topLevel = cacheControls.inPrompt(request, "");
        if (topLevel != null) {
            conversation.cachePointAfterLast(topLevel);
        }
        return conversation;
    }

    List<SystemContentBlock> system() {
        return system;
    }

    List<Message> messages() {
        List<Message> messages = new ArrayList<>(turns.size());
        for (int i = 0; i < turns.size(); i++) {
            messages.add(Message.builder().role(roles.get(i)).content(turns.get(i)).build());
        }
        return messages;
    }

    /** Names the history's toolUse blocks use, in order of first use. */
    Set<String> toolNamesInHistory() {
        return toolNames;
    }

    private void systemBlocks(JsonNode content, String at) {
        if (content.isTextual()) {
            if (!content.textValue().isBlank()) {
                system.add(SystemContentBlock.fromText(content.textValue()));
            }
            return;
        }
        if (!content.isArray()) {
            throw Invalid.type(at, "a string or an array of text blocks");
        }
        for (int j = 0; j < content.size(); j++) {
            String blockAt = Fields.index(at, j);
            ObjectNode block = Fields.object(content.get(j), blockAt);
            String type = Fields.type(block, blockAt);
            if (!"text".equals(type)) {
                throw Invalid.value(Fields.path(blockAt, "type"), "only 'text' blocks are allowed in a system"
                        + " prompt, not '" + type + "'");
            }
            String text = text(block, blockAt);
            if (!text.isBlank()) {
                system.add(SystemContentBlock.fromText(text));
            }
            CachePointBlock cachePoint = cacheControls.inPrompt(block, blockAt);
            if (cachePoint != null && !system.isEmpty() && system.get(system.size() - 1).cachePoint() == null) {
                system.add(SystemContentBlock.fromCachePoint(cachePoint));
            }
        }
    }

    private void message(JsonNode node, String at, int index) {
        ObjectNode message = Fields.object(node, at);
        Fields.only(message, at, MESSAGE_FIELDS);
        String role = Fields.requiredText(message, "role", at);
        JsonNode content = Fields.required(message, "content", at);
        String contentAt = Fields.path(at, "content");
        ConversationRole converseRole = switch (role) {
            case "user" -> ConversationRole.USER;
            case "assistant" -> ConversationRole.ASSISTANT;
            case "system" -> null;
            default -> throw Invalid.value(Fields.path(at, "role"), "'" + role
                    + "' is not one of 'user', 'assistant'");
        };
        if (converseRole == null) {
            systemBlocks(content, contentAt);
            return;
        }
        if (content.isTextual()) {
            if (!content.textValue().isBlank()) {
                add(converseRole, ContentBlock.fromText(content.textValue()), index);
            }
            return;
        }
        if (!content.isArray()) {
            throw Invalid.type(contentAt, "a string or an array of content blocks");
        }
        for (int j = 0; j < content.size(); j++) {
            String blockAt = Fields.index(contentAt, j);
            ObjectNode block = Fields.object(content.get(j), blockAt);
            if (converseRole == ConversationRole.USER) {
                userBlock(block, blockAt, index);
            } else {
                assistantBlock(block, blockAt, index);
            }
        }
    }

    private void userBlock(ObjectNode block, String at, int index) {
        String type = Fields.type(block, at);
        switch (type) {
            case "text" -> textBlock(ConversationRole.USER, block, at, index);
            case "image" -> add(ConversationRole.USER, ContentBlock.fromImage(attachments.image(block, at)), index);
            case "document" -> add(ConversationRole.USER, ContentBlock.fromDocument(attachments.document(block, at)),
                    index);
            case "tool_result" -> toolResult(block, at, index);
            case "tool_use", "thinking", "redacted_thinking" -> throw Invalid.value(Fields.path(at, "type"), "'" + type
                    + "' blocks are only allowed in assistant messages");
            default -> throw otherBlock(type, at);
        }
        cachePoint(block, at);
    }

    private void assistantBlock(ObjectNode block, String at, int index) {
        String type = Fields.type(block, at);
        switch (type) {
            case "text" -> textBlock(ConversationRole.ASSISTANT, block, at, index);
            case "tool_use" -> toolUse(block, at, index);
            case "thinking" -> {
                Fields.only(block, at, THINKING_FIELDS);
                Fields.requiredText(block, "thinking", at);
                Fields.requiredText(block, "signature", at);
                dropped.add(at);
                return;
            }
            case "redacted_thinking" -> {
                Fields.only(block, at, REDACTED_THINKING_FIELDS);
                Fields.requiredText(block, "data", at);
                dropped.add(at);
                return;
            }
            case "image", "document", "tool_result" -> throw Invalid.value(Fields.path(at, "type"), "'" + type
                    + "' blocks are only allowed in user messages");
            default -> throw otherBlock(type, at);
        }
        cachePoint(block, at);
    }

    private static OpenAiException otherBlock(String type, String at) {
        String typeAt = Fields.path(at, "type");
        if (SERVER_TOOL_BLOCKS.contains(type)) {
            return Fields.unsupported(typeAt, "'" + type + "' blocks belong to Anthropic's server tools, which"
                    + " Amazon Bedrock Converse cannot run for this model.");
        }
        if ("search_result".equals(type)) {
            return Fields.unsupported(typeAt, "'search_result' blocks are not supported for this model through"
                    + " Amazon Bedrock Converse; send the results as text.");
        }
        return Invalid.value(typeAt, "'" + type + "' is not a content block type this model can take");
    }

    private void textBlock(ConversationRole role, ObjectNode block, String at, int index) {
        String text = text(block, at);
        if (!text.isBlank()) {
            add(role, ContentBlock.fromText(text), index);
        }
    }

    /** A text block's text; its {@code citations} are checked and, when there are any, reported as dropped. */
    private String text(ObjectNode block, String at) {
        Fields.only(block, at, TEXT_FIELDS);
        String text = Fields.requiredText(block, "text", at);
        JsonNode citations = Fields.optional(block, "citations");
        if (citations != null) {
            if (!citations.isArray()) {
                throw Invalid.type(Fields.path(at, "citations"), "an array");
            }
            if (!citations.isEmpty()) {
                dropped.add(Fields.path(at, "citations"));
            }
        }
        return text;
    }

    private void toolUse(ObjectNode block, String at, int index) {
        Fields.only(block, at, TOOL_USE_FIELDS);
        String id = Fields.requiredText(block, "id", at);
        String name = Fields.requiredText(block, "name", at);
        JsonNode input = Fields.required(block, "input", at);
        if (!input.isObject()) {
            throw Invalid.type(Fields.path(at, "input"), "an object");
        }
        if (id.isBlank()) {
            throw Invalid.value(Fields.path(at, "id"), "it must not be empty");
        }
        toolUseIds.add(id);
        if (toolsAsText) {
            add(ConversationRole.ASSISTANT, ContentBlock.fromText("[called tool " + name + " with " + input + "]"),
                    index);
            return;
        }
        toolNames.add(name);
        add(ConversationRole.ASSISTANT, ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId(id).name(name)
                .input(Documents.fromJson(input)).build()), index);
    }

    private void toolResult(ObjectNode block, String at, int index) {
        Fields.only(block, at, TOOL_RESULT_FIELDS);
        String id = Fields.requiredText(block, "tool_use_id", at);
        if (!toolUseIds.contains(id)) {
            String idAt = Fields.path(at, "tool_use_id");
            throw OpenAiException.invalidRequest(idAt, idAt + ": '" + id + "' matches no tool_use block of an"
                    + " earlier assistant message; each tool_result must answer a tool_use.");
        }
        boolean error = Fields.optionalBoolean(block, "is_error", at);
        List<ToolResultContentBlock> content = new ArrayList<>();
        CachePointBlock innerCachePoint = null;
        JsonNode node = Fields.optional(block, "content");
        String contentAt = Fields.path(at, "content");
        if (node != null && node.isTextual()) {
            if (!node.textValue().isBlank()) {
                content.add(ToolResultContentBlock.fromText(node.textValue()));
            }
        } else if (node != null) {
            if (!node.isArray()) {
                throw Invalid.type(contentAt, "a string or an array of content blocks");
            }
            for (int k = 0; k < node.size(); k++) {
                String partAt = Fields.index(contentAt, k);
                ObjectNode part = Fields.object(node.get(k), partAt);
                String type = Fields.type(part, partAt);
                switch (type) {
                    case "text" -> {
                        String text = text(part, partAt);
                        if (!text.isBlank()) {
                            content.add(ToolResultContentBlock.fromText(text));
                        }
                    }
                    case "image" -> content.add(ToolResultContentBlock.fromImage(attachments.image(part, partAt)));
                    case "document" -> content.add(ToolResultContentBlock.fromDocument(
                            attachments.document(part, partAt)));
                    case "search_result" -> throw otherBlock(type, partAt);
                    default -> throw Invalid.value(Fields.path(partAt, "type"), "'" + type
                            + "' is not one of 'text', 'image', 'document'");
                }
                CachePointBlock cachePoint = cacheControls.inPrompt(part, partAt);
                if (cachePoint != null) {
                    innerCachePoint = cachePoint;
                }
            }
        }
        if (toolsAsText) {
            toolResultAsText(id, error, content, index);
        } else {
            ToolResultBlock.Builder result = ToolResultBlock.builder().toolUseId(id);
            if (error && toolStatus) {
                result.status(ToolResultStatus.ERROR);
            } else if (error) {
                content.add(0, ToolResultContentBlock.fromText("[tool error]"));
            }
            result.content(content);
            add(ConversationRole.USER, ContentBlock.fromToolResult(result.build()), index);
        }
        if (innerCachePoint != null) {
            cachePointAfterLast(innerCachePoint);
        }
    }

    /** A tool result as the text the chat translator gives it; its images and documents follow it. */
    private void toolResultAsText(String id, boolean error, List<ToolResultContentBlock> content, int index) {
        List<String> texts = new ArrayList<>();
        content.stream().filter(c -> c.text() != null).forEach(c -> texts.add(c.text()));
        add(ConversationRole.USER, ContentBlock.fromText("[tool " + (error ? "error" : "result") + " for " + id + ": "
                + String.join("\n", texts) + "]"), index);
        for (ToolResultContentBlock c : content) {
            if (c.image() != null) {
                add(ConversationRole.USER, ContentBlock.fromImage(c.image()), index);
            } else if (c.document() != null) {
                add(ConversationRole.USER, ContentBlock.fromDocument(c.document()), index);
            }
        }
    }

    /** Appends to the last turn when it has the same role, else starts a turn. */
    private void add(ConversationRole role, ContentBlock block, int index) {
        int last = roles.size() - 1;
        if (last >= 0 && roles.get(last) == role) {
            turns.get(last).add(block);
        } else {
            if (turns.isEmpty()) {
                firstTurnMessage = index;
            }
            roles.add(role);
            turns.add(new ArrayList<>(List.of(block)));
        }
    }

    private void cachePoint(ObjectNode block, String at) {
        CachePointBlock cachePoint = cacheControls.inPrompt(block, at);
        if (cachePoint != null) {
            cachePointAfterLast(cachePoint);
        }
    }

    /**
     * A cache point marks the prompt up to the last block so far, whatever turn holds it (a block left out, such as
     * blank text, still marks the prompt up to there); before any block it marks nothing, and it is never doubled.
     */
    private void cachePointAfterLast(CachePointBlock cachePoint) {
        if (turns.isEmpty()) {
            return;
        }
        List<ContentBlock> last = turns.get(turns.size() - 1);
        if (last.get(last.size() - 1).cachePoint() == null) {
            last.add(ContentBlock.fromCachePoint(cachePoint));
        }
    }
}
