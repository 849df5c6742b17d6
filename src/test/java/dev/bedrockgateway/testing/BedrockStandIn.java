package dev.bedrockgateway.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A local Bedrock runtime stand-in (WireMock on 127.0.0.1, HTTP/1.1 and h2c) that the gateway reaches through the
 * real AWS SDK client via {@code gateway.bedrock.endpoint-override}, with real SigV4 signing. Tests stub replies
 * and inspect what Bedrock received through the injected server.
 */
public class BedrockStandIn implements QuarkusTestResourceLifecycleManager {

    /** Injects the running {@link WireMockServer} into a test field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().http2PlainDisabled(false));
        server.start();
        return gatewaySettings("http://127.0.0.1:" + server.port());
    }

    /** The gateway's settings for tests against a local Bedrock at {@code endpoint}. */
    static Map<String, String> gatewaySettings(String endpoint) {
        return Map.of(
                "gateway.bedrock.endpoint-override", endpoint,
                // One attempt, and no cool-downs: each test sees exactly the upstream answer it stubbed (or asked the
                // simulator for), whatever failures earlier tests provoked. Fault-tolerance tests set their own in their catalog.
                "gateway.routing.num-retries", "0",
                "gateway.routing.allowed-fails", "1000000",
                // For @QuarkusIntegrationTest, which starts the production artifact: it needs its keys, and the
                // SDK's default chain finds these test credentials as system properties of that process.
                "gateway.master-key", "sk-test-key-1,sk-test-key-2",
                "aws.accessKeyId", "AKIDGATEWAYTEST",
                "aws.secretAccessKey", "gateway-test-secret");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(Inject.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
