package dev.bedrockgateway.bedrock;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import dev.bedrockgateway.config.GatewayConfig;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.endpoints.BedrockRuntimeEndpointProvider;

/**
 * What every Bedrock call is made with: one HTTP client, one credentials provider, and each region's endpoint (catalog
 * entries may name different regions). Credentials come only from the AWS default provider chain (environment, IRSA
 * web identity, container and instance roles), or from the dev-mode simulator when it serves the requests. The calls
 * themselves are built, signed and sent by {@link BedrockRelay}, with the SDK's marshallers ({@link BedrockProtocol})
 * and signer; no SDK service client is needed.
 */
@Startup
@ApplicationScoped
public class BedrockClients {

    private static final Logger LOG = Logger.getLogger(BedrockClients.class);

    private final GatewayConfig.Bedrock config;
    private final GatewayConfig.Simulator simulatorConfig;
    private final Instance<LocalBedrock> local;
    private final Vertx vertx;
    private final Map<String, URI> endpoints = new ConcurrentHashMap<>();

    private SdkAsyncHttpClient http;
    private AwsCredentialsProvider credentials;
    private Optional<URI> endpoint;

    public BedrockClients(GatewayConfig config, Instance<LocalBedrock> local, Vertx vertx) {
        this.config = config.bedrock();
        this.simulatorConfig = config.simulator();
        this.local = local;
        this.vertx = vertx;
    }

    @PostConstruct
    void init() {
        http = httpClient();
        if (config.endpointOverride().isPresent()) {
            endpoint = config.endpointOverride();
            credentials = defaultCredentials();
            LOG.infof("Bedrock endpoint override: %s", endpoint.get());
        } else if (useSimulator()) {
            LocalBedrock simulator = local.get();
            endpoint = Optional.of(simulator.endpoint());
            credentials = simulator.credentials();
            LOG.warnf("No AWS credentials and no endpoint override: requests are answered by the built-in Bedrock"
                    + " simulator at %s (dev mode only)", endpoint.get());
        } else {
            endpoint = Optional.empty();
            credentials = defaultCredentials();
        }
    }

    /**
     * Vert.x's HTTP client by default ({@link VertxSdkHttpClient}): a call leaves and is answered on the event loop of
     * the API request that made it, with no hand-over to another thread and back, which costs the least CPU and adds
     * the least latency (docs/performance/investigations.md, "Vert.x's HTTP client"). The SDK's Netty client
     * ({@code NETTY}, and HTTP/2) stays selectable. Vert.x's client has no read timeout: the request timeout, the
     * streams' first-byte and idle timeouts, and TCP keep-alive probes bound a silent connection instead.
     */
    private SdkAsyncHttpClient httpClient() {
        if (config.httpClient() == GatewayConfig.HttpClientKind.VERTX
                && config.protocol() == GatewayConfig.HttpProtocol.HTTP1_1) {
            return new VertxSdkHttpClient(vertx, config.connectTimeout(), config.maxConcurrency());
        }
        return NettyNioAsyncHttpClient.builder()
                .protocol(config.protocol() == GatewayConfig.HttpProtocol.HTTP1_1 ? Protocol.HTTP1_1 : Protocol.HTTP2)
                .maxConcurrency(config.maxConcurrency())
                // Not owned: closing the client leaves Vert.x's loops running.
                .eventLoopGroup(SdkEventLoopGroup.create(((VertxInternal) vertx).getEventLoopGroup()))
                // Netty's asynchronous DNS resolver: the JDK's blocking lookup would stall an event loop that also
                // serves API clients whenever a new Bedrock connection resolves its host.
                .useNonBlockingDnsResolver(true)
                .connectionTimeout(config.connectTimeout())
                // A non-streaming completion can take minutes before its first byte; the request timeout bounds it.
                .readTimeout(config.requestTimeout())
                .build();
    }

    /**
     * The AWS default chain, renewing temporary credentials (IRSA's STS exchange, container and instance roles) in
     * the background before they expire. Without that, the request that finds them about to expire would make the
     * STS call itself, on the event loop it runs on, holding up every request on that loop for the call's duration.
     */
    private static AwsCredentialsProvider defaultCredentials() {
        return DefaultCredentialsProvider.builder().asyncCredentialUpdateEnabled(true).build();
    }

    /** The simulator exists only in dev and test builds; there it serves when asked or when AWS is not set up. */
    private boolean useSimulator() {
        if (!local.isResolvable()) {
            return false;
        }
        return switch (simulatorConfig.enabled()) {
            case "true" -> true;
            case "false" -> false;
            default -> !awsCredentialsConfigured();
        };
    }

    /** Sources a developer machine has; instance and container metadata are not probed (slow off AWS). */
    private static boolean awsCredentialsConfigured() {
        try (AwsCredentialsProviderChain chain = AwsCredentialsProviderChain.builder()
                .credentialsProviders(EnvironmentVariableCredentialsProvider.create(),
                        SystemPropertyCredentialsProvider.create(), ProfileCredentialsProvider.create(),
                        WebIdentityTokenFileCredentialsProvider.create())
                .build()) {
            chain.resolveCredentials();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The Bedrock runtime endpoint of {@code region}: the override (tests, the simulator, a VPC endpoint) when there
     * is one, else the SDK's own endpoint rules for the region ({@code https://bedrock-runtime.<region>.amazonaws.com}).
     */
    public URI endpoint(String region) {
        return endpoints.computeIfAbsent(region, r -> endpoint.orElseGet(() -> BedrockRuntimeEndpointProvider
                .defaultProvider().resolveEndpoint(p -> p.region(Region.of(r))).join().url()));
    }

    /** The HTTP client every Bedrock call is sent through. */
    SdkAsyncHttpClient http() {
        return http;
    }

    /** The credentials every call is signed with (and readiness checks). */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    @PreDestroy
    void close() {
        if (http != null) {
            http.close();
        }
        if (credentials instanceof AutoCloseable renewing) {  // stops the renewal thread
            try {
                renewing.close();
            } catch (Exception e) {
                LOG.debugf("Closing the credentials provider: %s", e.getClass().getSimpleName());
            }
        }
    }

    /** The SDK's name of the HTTP client in use ({@code VertxHttp}, {@code NettyNio}). */
    String httpClientName() {
        return http.clientName();
    }
}
