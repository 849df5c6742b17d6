package dev.bedrockgateway.it;

import dev.bedrockgateway.api.ResponsesSdkContractTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ResponsesSdkContractTest} against the packaged production artifact (the native executable where one was built). */
@QuarkusIntegrationTest
class ResponsesSdkContractIT extends ResponsesSdkContractTest {
}
