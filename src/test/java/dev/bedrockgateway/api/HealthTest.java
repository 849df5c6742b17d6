package dev.bedrockgateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health lives on the management port, needs no key, and readiness covers the catalog and AWS credentials. */
@QuarkusTest
class HealthTest {

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @Test
    void readinessChecksCatalogAndCredentialsWithoutAKey() {
        given().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("catalog", "bedrock-credentials"));
    }

    @Test
    void livenessNeedsNoKeyAndNoBedrock() {
        given().get(live).then().statusCode(200).body("status", equalTo("UP"));
    }
}
