package dev.bedrockgateway.it;

import dev.bedrockgateway.api.anthropic.AnthropicSdkContractTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link AnthropicSdkContractTest} against the packaged production artifact. */
@QuarkusIntegrationTest
class AnthropicSdkContractIT extends AnthropicSdkContractTest {
}
