package dev.bedrockgateway.api.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.OpenAiSchemas;
import dev.bedrockgateway.translate.embeddings.Float32Base64;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** {@code /v1/embeddings} through InvokeModel: Titan (one text per call, fanned out) and Cohere (batches). */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
public class EmbeddingsTest {

    static final String TITAN_V2 = "/model/amazon.titan-embed-text-v2%3A0/invoke";
    static final String COHERE_V3 = "/model/cohere.embed-english-v3/invoke";

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @TestHTTPResource("/v1")
    URL baseUrl;

    @BeforeEach
    void reset() {
        bedrock.resetAll();
    }

    static Response embed(String body) {
        return given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).body(body)
                .post("/v1/embeddings");
    }

    /** Titan answers each text with a vector that encodes which text it was, after a delay that reverses order. */
    void stubTitan(int texts) {
        for (int i = 0; i < texts; i++) {
            bedrock.stubFor(post(urlEqualTo(TITAN_V2)).withRequestBody(matchingJsonPath("$.inputText", equalTo("text " + i)))
                    .willReturn(ConverseReplies.json("{\"embedding\":[" + i + ".5,-0.125," + (i * 0.1f) + "],"
                            + "\"inputTextTokenCount\":" + (i + 2) + "}").withFixedDelay((texts - i) * 40)));
        }
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern equalTo(String value) {
        return com.github.tomakehurst.wiremock.client.WireMock.equalTo(value);
    }

    @Test
    void titanInputsAreFannedOutAndAnsweredInInputOrder() {
        stubTitan(5);

        Response response = embed("{\"model\":\"text-embedding-3-small\",\"input\":[\"text 0\",\"text 1\",\"text 2\","
                + "\"text 3\",\"text 4\"]}");

        response.then().statusCode(200)
                .body("object", org.hamcrest.Matchers.equalTo("list"))
                .body("model", org.hamcrest.Matchers.equalTo("text-embedding-3-small"))
                .body("data.index", org.hamcrest.Matchers.equalTo(List.of(0, 1, 2, 3, 4)))
                .body("data.object", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.equalTo("embedding")))
                .body("usage.prompt_tokens", org.hamcrest.Matchers.equalTo(2 + 3 + 4 + 5 + 6))
                .body("usage.total_tokens", org.hamcrest.Matchers.equalTo(20));
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 0.5f, response.jsonPath().getFloat("data[" + i + "].embedding[0]"));
        }
        OpenAiSchemas.assertValid("CreateEmbeddingResponse", response.asString());
        bedrock.verify(5, postRequestedFor(urlEqualTo(TITAN_V2)));
    }

    @Test
    void base64IsLittleEndianFloat32BitForBitTheFloatAnswer() {
        stubTitan(2);
        String input = "{\"model\":\"text-embedding-3-small\",\"input\":[\"text 0\",\"text 1\"]";
        Response floats = embed(input + "}");
        Response encoded = embed(input + ",\"encoding_format\":\"base64\"}");

        encoded.then().statusCode(200);
        for (int i = 0; i < 2; i++) {
            List<Float> expected = floats.jsonPath().getList("data[" + i + "].embedding", Float.class);
            float[] decoded = Float32Base64.decode(encoded.jsonPath().getString("data[" + i + "].embedding"));
            assertEquals(expected.size(), decoded.length);
            for (int k = 0; k < decoded.length; k++) {
                assertEquals(Float.floatToRawIntBits(expected.get(k)), Float.floatToRawIntBits(decoded[k]));
            }
        }
    }

    @Test
    void dimensionsArePassedWhereTheModelTakesThem() {
        bedrock.stubFor(post(urlEqualTo(TITAN_V2)).willReturn(ConverseReplies.json(
                "{\"embedding\":[0.1,0.2],\"inputTextTokenCount\":1}")));
        embed("{\"model\":\"text-embedding-3-small\",\"input\":\"hi\",\"dimensions\":256}").then().statusCode(200);
        bedrock.verify(postRequestedFor(urlEqualTo(TITAN_V2)).withRequestBody(equalToJson(
                "{\"inputText\":\"hi\",\"dimensions\":256}", true, true)));
    }

    @Test
    void cohereTakesTheBatchInOneCallWithItsInputTypeAndHeaderTokenCount() {
        bedrock.stubFor(post(urlEqualTo(COHERE_V3)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("x-amzn-bedrock-input-token-count", "7")
                .withBody("{\"id\":\"x\",\"embeddings\":[[0.1,0.2],[0.3,0.4],[0.5,0.6]],\"texts\":[\"a\",\"b\",\"c\"],"
                        + "\"response_type\":\"embeddings_floats\"}")));

        Response response = embed("{\"model\":\"text-embedding-3-large\",\"input\":[\"a\",\"b\",\"c\"]}");

        response.then().statusCode(200).body("usage.prompt_tokens", org.hamcrest.Matchers.equalTo(7));
        assertEquals(0.5f, response.jsonPath().getFloat("data[2].embedding[0]"));
        bedrock.verify(1, postRequestedFor(urlEqualTo(COHERE_V3)).withRequestBody(equalToJson(
                "{\"texts\":[\"a\",\"b\",\"c\"],\"input_type\":\"search_document\"}", true, true)));
        OpenAiSchemas.assertValid("CreateEmbeddingResponse", response.asString());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"\"]}|input[1]",
            "{\"model\":\"text-embedding-3-small\",\"input\":\"\"}|input",
            "{\"model\":\"text-embedding-3-small\",\"input\":[]}|input",
            "{\"model\":\"text-embedding-3-small\"}|input",
            "{\"model\":\"text-embedding-3-small\",\"input\":[1,2,3]}|input",
            "{\"model\":\"text-embedding-3-small\",\"input\":\"a\",\"dimensions\":100}|dimensions",
            "{\"model\":\"text-embedding-ada-002\",\"input\":\"a\",\"dimensions\":256}|dimensions",
            "{\"model\":\"text-embedding-3-small\",\"input\":\"a\",\"encoding_format\":\"hex\"}|encoding_format",
            "{\"model\":\"gpt-4o\",\"input\":\"a\"}|model",
            "{\"input\":\"a\"}|model",
            "{\"model\":\"text-embedding-3-small\",\"input\":\"a\",\"colour\":1}|colour" })
    void badRequestsAre400NamingTheParam(String body, String param) {
        embed(body).then().statusCode(400).body("error.param", org.hamcrest.Matchers.equalTo(param))
                .body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"));
        bedrock.verify(0, postRequestedFor(urlPathMatching("/model/.*")));
    }

    @Test
    void bedrockThrottlingIs429() {
        bedrock.stubFor(post(urlEqualTo(TITAN_V2)).willReturn(
                ConverseReplies.error(429, "ThrottlingException", "Rate exceeded")));
        embed("{\"model\":\"text-embedding-3-small\",\"input\":\"a\"}").then().statusCode(429)
                .header("Retry-After", "1");
    }

    @Test
    void theOfficialSdkValidatesEmbeddings() {
        stubTitan(2);
        OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey("sk-test-key-1")
                .maxRetries(0).build();
        try {
            CreateEmbeddingResponse response = openai.embeddings().create(EmbeddingCreateParams.builder()
                    .model(EmbeddingModel.TEXT_EMBEDDING_3_SMALL).inputOfArrayOfStrings(List.of("text 0", "text 1"))
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
            response.validate();
            assertEquals(2, response.data().size());
            assertEquals(1.5f, response.data().get(1).embedding().get(0).floatValue());
            assertEquals(5, response.usage().promptTokens());
        } finally {
            openai.close();
        }
    }
}
