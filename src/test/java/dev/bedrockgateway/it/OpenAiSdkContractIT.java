package dev.bedrockgateway.it;

import dev.bedrockgateway.api.OpenAiSdkContractTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OpenAiSdkContractTest} against the packaged production artifact (the native executable where one was built). */
@QuarkusIntegrationTest
class OpenAiSdkContractIT extends OpenAiSdkContractTest {
}
