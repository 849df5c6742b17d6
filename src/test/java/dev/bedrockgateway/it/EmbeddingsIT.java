package dev.bedrockgateway.it;

import dev.bedrockgateway.api.openai.EmbeddingsTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link EmbeddingsTest} against the packaged production artifact (the native executable where one was built). */
@QuarkusIntegrationTest
class EmbeddingsIT extends EmbeddingsTest {
}
