package dev.bedrockgateway.it;

import dev.bedrockgateway.api.openai.StreamingTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link StreamingTest} against the packaged production artifact (the native executable where one was built). */
@QuarkusIntegrationTest
class StreamingIT extends StreamingTest {
}
