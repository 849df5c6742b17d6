package dev.bedrockgateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * {@code image_url} with a URL: the gateway fetches it (here from the loopback stand-in, allow-listed for the test;
 * plain http allowed because the stand-in has no certificate) and refuses internal addresses before connecting.
 */
@QuarkusTest
@TestProfile(RemoteImagesTest.Profile.class)
@WithTestResource(BedrockStandIn.class)
class RemoteImagesTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.images.allow-http", "true", "gateway.images.allowed-hosts", "127.0.0.1");
        }
    }

    static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R' };

    @BedrockStandIn.Inject
    WireMockServer server;

    @BeforeEach
    void reset() {
        server.resetAll();
        server.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(
                ConverseReplies.text("A tiny image.", "end_turn", 5, 3)));
        server.stubFor(get(urlEqualTo("/images/cat.png")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/png").withBody(PNG)));
    }

    static io.restassured.response.Response chatWithImage(String url) {
        return given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).body("""
                {"model":"bedrock-claude-3-sonnet","messages":[{"role":"user","content":[
                  {"type":"text","text":"What is this?"},
                  {"type":"image_url","image_url":{"url":"%s","detail":"auto"}}]}]}""".formatted(url))
                .post("/v1/chat/completions");
    }

    @Test
    void fetchedImageReachesBedrockAsImageBytes() {
        chatWithImage("http://127.0.0.1:" + server.port() + "/images/cat.png")
                .then().statusCode(200).body("choices[0].message.content", equalTo("A tiny image."));
        server.verify(1, getRequestedFor(urlEqualTo("/images/cat.png")));
        server.verify(postRequestedFor(urlPathMatching("/model/.*/converse")).withRequestBody(equalToJson("""
                {"messages":[{"role":"user","content":[{"text":"What is this?"},
                  {"image":{"format":"png","source":{"bytes":"%s"}}}]}]}""".formatted(
                Base64.getEncoder().encodeToString(PNG)), true, true)));
    }

    @Test
    void internalAddressesAreRefusedWithoutConnecting() {
        for (String url : new String[] { "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                "http://10.0.0.1/x.png", "http://127.0.0.2:" + server.port() + "/images/cat.png",
                "http://[::1]:" + server.port() + "/images/cat.png" }) {
            chatWithImage(url).then().statusCode(400)
                    .body("error.param", equalTo("messages[0].content[1].image_url.url"))
                    .body("error.code", equalTo("invalid_image_url"));
        }
        server.verify(0, getRequestedFor(urlPathMatching("/.*")));
        server.verify(0, postRequestedFor(urlPathMatching("/model/.*")));
    }

    @Test
    void nonImagesAndFailuresAre400() {
        server.stubFor(get(urlEqualTo("/page.html")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html></html>")));
        chatWithImage("http://127.0.0.1:" + server.port() + "/page.html").then().statusCode(400)
                .body("error.code", equalTo("image_fetch_failed"));
        chatWithImage("http://127.0.0.1:" + server.port() + "/missing.png").then().statusCode(400)
                .body("error.code", equalTo("image_fetch_failed"));
        server.verify(0, postRequestedFor(urlPathMatching("/model/.*")));
    }

    @Test
    void anInvalidRequestIsRefusedBeforeAnyImageIsFetched() {
        given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).body("""
                {"model":"bedrock-claude-3-sonnet","n":3,"messages":[{"role":"user","content":[
                  {"type":"image_url","image_url":{"url":"http://127.0.0.1:%d/images/cat.png"}}]}]}"""
                .formatted(server.port()))
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("n"));
        server.verify(0, getRequestedFor(urlPathMatching("/.*")));
    }
}
