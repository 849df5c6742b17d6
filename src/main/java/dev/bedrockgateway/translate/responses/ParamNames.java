package dev.bedrockgateway.translate.responses;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bedrockgateway.error.OpenAiException;

/**
 * The Responses API's names for the chat parameters the shared chat translator names in its 400s: a refusal of
 * {@code messages[3].content[0].image_url.url} is about {@code input[5].content[0].image_url} in the request the
 * client sent, {@code response_format.json_schema.name} about {@code text.format.name}.
 */
final class ParamNames {

    private static final Pattern MESSAGE = Pattern.compile("^messages\\[(\\d+)](.*)$");
    private static final Pattern TOOL = Pattern.compile("^tools\\[(\\d+)](.*)$");
    private static final Pattern TOOL_CALL = Pattern.compile("^\\.tool_calls\\[\\d+](.*)$");

    private final List<InputItems.Origin> origins;
    private final List<Integer> toolIndexes;

    /**
     * @param origins per chat message, the item it came from
     * @param toolIndexes per chat tool, the index of the {@code tools} entry it came from
     */
    ParamNames(List<InputItems.Origin> origins, List<Integer> toolIndexes) {
        this.origins = origins;
        this.toolIndexes = toolIndexes;
    }

    /** The same refusal, naming the Responses field. */
    OpenAiException rename(OpenAiException e) {
        String param = e.param();
        String renamed = of(param);
        if (param == null || param.equals(renamed)) {
            return e;
        }
        String message = e.getMessage() == null ? null : e.getMessage().replace(param, renamed);
        return new OpenAiException(e.status(), e.type(), e.code(), renamed, message, e.headers(), e.getCause());
    }

    List<String> renameAll(List<String> params) {
        return params.stream().map(this::of).toList();
    }

    String of(String param) {
        if (param == null) {
            return null;
        }
        Matcher message = MESSAGE.matcher(param);
        if (message.matches()) {
            int i = Integer.parseInt(message.group(1));
            return i < origins.size() ? inItem(origins.get(i), message.group(2)) : "input";
        }
        Matcher tool = TOOL.matcher(param);
        if (tool.matches()) {
            int i = Integer.parseInt(tool.group(1));
            String index = i < toolIndexes.size() ? String.valueOf(toolIndexes.get(i)) : tool.group(1);
            return "tools[" + index + "]" + tool.group(2).replace(".function.", ".").replace(".function", "");
        }
        if (param.equals("messages")) {
            return "input";
        }
        if (param.startsWith("response_format")) {
            return "text.format" + param.substring("response_format".length()).replace(".json_schema", "");
        }
        return switch (param) {
            case "max_completion_tokens", "max_tokens" -> "max_output_tokens";
            case "reasoning_effort" -> "reasoning.effort";
            case "verbosity" -> "text.verbosity";
            case "tool_choice.function.name" -> "tool_choice.name";
            default -> param;
        };
    }

    private static String inItem(InputItems.Origin origin, String rest) {
        String at = origin.at();
        return switch (origin.type()) {
            case "function_call" -> {
                Matcher call = TOOL_CALL.matcher(rest);
                String field = call.matches() ? call.group(1) : "";
                yield at + switch (field) {
                    case ".function.arguments" -> ".arguments";
                    case ".function.name" -> ".name";
                    case ".id" -> ".call_id";
                    default -> "";
                };
            }
            case "function_call_output" -> at + rest.replace(".tool_call_id", ".call_id")
                    .replace(".content", ".output").replace(".image_url.url", ".image_url");
            case "reasoning" -> at + ".encrypted_content";
            default -> at + rest.replace(".image_url.url", ".image_url")
                    .replaceAll("\\.file\\.(file_data|filename|file_id)$", ".$1").replaceAll("\\.file$", ".file_data");
        };
    }
}
