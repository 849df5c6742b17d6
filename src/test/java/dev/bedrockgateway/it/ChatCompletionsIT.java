package dev.bedrockgateway.it;

import dev.bedrockgateway.api.openai.ChatCompletionsResourceTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ChatCompletionsResourceTest} against the packaged production artifact (the native executable where one was built). */
@QuarkusIntegrationTest
class ChatCompletionsIT extends ChatCompletionsResourceTest {
}
