package dev.bedrockgateway.it;

import dev.bedrockgateway.api.openai.CompletionsTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link CompletionsTest} against the packaged production artifact (the native executable where one was built). */
@QuarkusIntegrationTest
class CompletionsIT extends CompletionsTest {
}
