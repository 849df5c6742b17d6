package dev.bedrockgateway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.pipeline.Parsed;

/** Fields OpenAI does not define are reported with their exact path, wherever they sit. */
class OpenAiJsonTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"frob\":{\"deep\":[1]},\"model\":\"m\",\"temperature\":0.2}|frob",
            "{\"model\":\"m\",\"temperature\":0.2,\"frob\":1}|frob",
            "{\"model\":\"m\",\"frob\":[1,{\"a\":2}],\"n\":1}|frob",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\",\"colour\":\"blue\"}]}|messages[0].colour",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"colour\":{\"x\":1},\"role\":\"user\",\"content\":\"q\"}]}|messages[1].colour",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\",\"cache\":true}]}]}|messages[0].content[1].cache",
            "{\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"strictness\":1}}]}|tools[0].function.strictness",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"},\"extra\":2}]}]}|messages[0].tool_calls[0].extra",
            "{\"model\":\"m\",\"stream_options\":{\"include_usage\":true,\"x\":[1]}}|stream_options.x" })
    void unknownFieldPaths(String json, String expected) {
        Parsed<ChatCompletionRequest> parsed = OpenAiJson.parse(
                OpenAiJson.readerFor(ChatCompletionRequest.class), json.getBytes());
        assertEquals(List.of(expected), parsed.unknownParams());
    }
}
