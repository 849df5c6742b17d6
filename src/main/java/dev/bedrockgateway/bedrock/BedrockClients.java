package dev.bedrockgateway.bedrock;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;

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
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.endpoints.BedrockRuntimeEndpointProvider;

/**
 * The Bedrock runtime clients: one {@link BedrockRuntimeAsyncClient} per region (catalog entries may name
 * different regions), all sharing one HTTP client and one credentials provider. Credentials come only from
 * the AWS default provider chain (environment, IRSA web identity, container and instance roles), or from the
 * dev-mode simulator when it serves the requests.
 */
@Startup
@ApplicationScoped
public class BedrockClients {

    private static final Logger LOG = Logger.getLogger(BedrockClients.class);

    private final GatewayConfig.Bedrock config;
    private final GatewayConfig.Simulator simulatorConfig;
    private final Instance<LocalBedrock> local;
    private final Vertx vertx;
    private final Map<String, BedrockRuntimeAsyncClient> clients = new ConcurrentHashMap<>();
    private final Map<String, URI> endpoints = new ConcurrentHashMap<>();

    private SdkAsyncHttpClient http;
    private ScheduledThreadPoolExecutor timeouts;
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
        // The timer of every call's apiCallTimeout (request_timeout, 600 s by default). The SDK's own executor keeps a
        // cancelled timer queued until it would have fired: one object per completed call for ten minutes, 1.8
        // million (130 MB of heap) at 3,000 requests/s. Ours drops it when the call ends.
        timeouts = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "bedrock-timeouts");
            t.setDaemon(true);
            return t;
        });
        timeouts.setRemoveOnCancelPolicy(true);
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
     * the least latency (docs/performance/investigations.md, "Vert.x's HTTP client"). The SDK's Netty client ({@code NETTY}, and HTTP/2)
     * stays selectable. Vert.x's client has no read timeout: the request timeout (the SDK's API call timeout), the
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

    public BedrockRuntimeAsyncClient forRegion(String region) {
        return clients.computeIfAbsent(region, this::create);
    }

    /**
     * The Bedrock runtime endpoint of {@code region}, as the region's client calls it: the override (tests, the
     * simulator, a VPC endpoint) when there is one, else the SDK's own endpoint rules for the region
     * ({@code https://bedrock-runtime.<region>.amazonaws.com}). For {@link BedrockRelay}, which builds its requests
     * itself.
     */
    public URI endpoint(String region) {
        return endpoints.computeIfAbsent(region, r -> endpoint.orElseGet(() -> BedrockRuntimeEndpointProvider
                .defaultProvider().resolveEndpoint(p -> p.region(Region.of(r))).join().url()));
    }

    /** The HTTP client every region's client sends through, for {@link BedrockRelay}'s requests too. */
    SdkAsyncHttpClient http() {
        return http;
    }

    /** The credentials every client signs with (for readiness checks, and the relay's own signing). */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    private BedrockRuntimeAsyncClient create(String region) {
        BedrockRuntimeAsyncClientBuilder builder = BedrockRuntimeAsyncClient.builder()
                .httpClient(http)
                // Complete the SDK's futures on the HTTP client's thread instead of hopping to another pool: what
                // runs there (translation, handing the answer to Vert.x) never blocks.
                .asyncConfiguration(a -> a.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR,
                        Runnable::run))
                .region(Region.of(region))
                .credentialsProvider(credentials)
                // The SDK does not retry: the gateway's router is the one retry layer (BedrockRouter), so retries,
                // deployments, cool-downs and fallbacks share one budget and never replay a stream already sent.
                .overrideConfiguration(o -> o
                        .scheduledExecutorService(timeouts)
                        .apiCallTimeout(config.requestTimeout())
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @PreDestroy
    void close() {
        clients.values().forEach(BedrockRuntimeAsyncClient::close);
        clients.clear();
        if (http != null) {
            http.close();
        }
        if (timeouts != null) {
            timeouts.shutdownNow();
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

    /** Call timers still queued: one per call in flight, none for a call that has ended. */
    int pendingTimeouts() {
        return timeouts.getQueue().size();
    }
}
