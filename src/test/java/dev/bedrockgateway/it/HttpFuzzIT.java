package dev.bedrockgateway.it;

import dev.bedrockgateway.api.HttpFuzzTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link HttpFuzzTest} against the packaged production artifact, which starts through GatewayMain as a deployed
 * gateway does (the tests above run with the same system property set by the build instead).
 */
@QuarkusIntegrationTest
class HttpFuzzIT extends HttpFuzzTest {
}
