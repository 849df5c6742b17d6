package dev.bedrockgateway.api.openai;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.testing.OpenAiSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

@QuarkusTest
class ModelsResourceTest {

    @Inject
    ModelCatalog catalog;

    @Test
    void listsEveryCatalogNameInOpenAiShape() {
        List<String> names = List.copyOf(catalog.current().groups().keySet());
        for (String path : List.of("/v1/models", "/models")) {
            Response response = given().header("Authorization", "Bearer sk-test-key-1").get(path);
            response.then().statusCode(200)
                    .body("object", equalTo("list"))
                    .body("data.id", equalTo(names))
                    .body("data.object", everyItem(equalTo("model")))
                    .body("data.created", everyItem(equalTo((int) catalog.current().loadedAt())))
                    .body("data.owned_by", everyItem(notNullValue()))
                    .body("data.id", hasItems("bedrock-claude-3-sonnet", "bedrock-llama3-8b-instruct-v1",
                            "bedrock-mixtral-8x7b-instruct-v0", "gpt-4o", "text-davinci-003",
                            "text-embedding-3-small"));
            OpenAiSchemas.assertValid("ListModelsResponse", response.asString());
        }
    }

    @Test
    void getsOneModelWithAndWithoutPrefix() {
        for (String path : List.of("/v1/models/gpt-4o", "/models/gpt-4o")) {
            Response response = given().header("Authorization", "Bearer sk-test-key-1").get(path);
            response.then().statusCode(200)
                    .body("id", equalTo("gpt-4o"))
                    .body("object", equalTo("model"))
                    .body("owned_by", equalTo("anthropic"));
            OpenAiSchemas.assertValid("Model", response.asString());
        }
        given().header("Authorization", "Bearer sk-test-key-1").get("/v1/models/bedrock-llama3-8b-instruct-v1")
                .then().statusCode(200).body("owned_by", equalTo("meta"));
    }

    /** As OpenAI: JSON whatever Accept says, a browser's included (this was a 406 for a non-JSON Accept). */
    @Test
    void theAcceptHeaderNeverRefusesTheList() {
        for (String accept : List.of("text/html,application/xhtml+xml", "text/plain", "application/json", "*/*")) {
            for (String path : List.of("/v1/models", "/v1/models/gpt-4o")) {
                given().header("Authorization", "Bearer sk-test-key-1").accept(accept).get(path)
                        .then().statusCode(200).contentType("application/json")
                        .body("object", equalTo(path.endsWith("models") ? "list" : "model"));
            }
        }
    }

    @Test
    void unknownModelIs404() {
        given().header("Authorization", "Bearer sk-test-key-1").get("/v1/models/gpt-17")
                .then().statusCode(404)
                .body("error.code", equalTo("model_not_found"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error", hasKey("param")).body("error.param", nullValue())
                .body("error.message", equalTo("The model `gpt-17` does not exist or you do not have access to it."));
    }

    @Test
    void ownedByIsReadOnlyFromKnownProviders() {
        assertOwner("anthropic", "anthropic.claude-3-haiku-20240307-v1:0");
        assertOwner("anthropic", "us.anthropic.claude-3-5-haiku-20241022-v1:0");
        assertOwner("amazon", "global.amazon.nova-pro-v1:0");
        assertOwner("amazon-bedrock",
                "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123");
        assertOwner("amazon-bedrock", "xx.unknownvendor.model-v1:0");
    }

    private static void assertOwner(String expected, String modelId) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, ModelsResource.ownedBy(modelId), modelId);
    }
}
