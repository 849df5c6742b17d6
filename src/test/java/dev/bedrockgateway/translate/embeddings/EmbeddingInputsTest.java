package dev.bedrockgateway.translate.embeddings;

import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.assert400;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.bedrockgateway.error.OpenAiException;

class EmbeddingInputsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aStringIsOneText() {
        assertEquals(List.of("hello world"), EmbeddingInputs.texts(json("\"hello world\"")));
    }

    @Test
    void anArrayOfStringsKeepsItsOrder() {
        assertEquals(List.of("a", " ", "c\u00e9\ud83d\ude00"), EmbeddingInputs.texts(json("[\"a\",\" \",\"c\u00e9\ud83d\ude00\"]")));
    }

    @Test
    void upTo2048Inputs() {
        List<String> texts = EmbeddingInputs.texts(JSON.valueToTree(Collections.nCopies(2048, "x")));
        assertEquals(2048, texts.size());
        var e = assert400("input", "invalid_value",
                () -> EmbeddingInputs.texts(JSON.valueToTree(Collections.nCopies(2049, "x"))));
        assertTrue(e.getMessage().contains("2048"), e.getMessage());
    }

    @Test
    void missingOrNullIs400() {
        assert400("input", "invalid_value", () -> EmbeddingInputs.texts(null));
        assert400("input", "invalid_value", () -> EmbeddingInputs.texts(MissingNode.getInstance()));
        assert400("input", "invalid_value", () -> EmbeddingInputs.texts(json("null")));
        assert400("input", "invalid_value", () -> EmbeddingInputs.texts(json("{\"model\":\"m\"}").path("input")));
    }

    @Test
    void emptyStringIs400() {
        assert400("input", "invalid_value", () -> EmbeddingInputs.texts(json("\"\"")));
    }

    @Test
    void emptyArrayIs400() {
        assert400("input", "invalid_value", () -> EmbeddingInputs.texts(json("[]")));
    }

    @Test
    void emptyStringInTheArrayNamesItsIndex() {
        var e = assert400("input[2]", "invalid_value", () -> EmbeddingInputs.texts(json("[\"a\",\"b\",\"\"]")));
        assertEquals("'input[2]' must not be an empty string.", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "42 | input",
            "4.5 | input",
            "true | input",
            "{\"text\":\"a\"} | input",
            "[\"a\", 3.5] | input[1]",
            "[\"a\", \"b\", \"c\", 7] | input[3]",
            "[\"a\", null] | input[1]",
            "[\"a\", {\"text\":\"b\"}] | input[1]",
            "[\"a\", [\"b\"]] | input[1]",
            "[true] | input[0]",
            "[[\"x\"], [1, 2]] | input[0]",
    })
    void wrongTypesAre400(String input, String param) {
        var e = assert400(param, "invalid_type", () -> EmbeddingInputs.texts(json(input)));
        assertTrue(e.getMessage().contains("expected a string"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1, 2, 3] | input",
            "[50256] | input",
            "[[1, 2], [3]] | input[0]",
            "[\"a\", [1, 2]] | input[1]",
            "[\"a\", []] | input[1]",
            "[[1, 2], [\"x\"]] | input[0]",
    })
    void tokenIdsAre400SayingTextOnly(String input, String param) {
        OpenAiException e = assert400(param, "invalid_type", () -> EmbeddingInputs.texts(json(input)));
        assertTrue(e.getMessage().contains("text only"), e.getMessage());
    }

    @Test
    void aLongTokenArrayIsReportedAsTokensNotAsTooMany() {
        List<Integer> tokens = new ArrayList<>(Collections.nCopies(3000, 11));
        OpenAiException e = assert400("input", "invalid_type", () -> EmbeddingInputs.texts(JSON.valueToTree(tokens)));
        assertTrue(e.getMessage().contains("text only"), e.getMessage());
    }
}
