package dev.bedrockgateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting of the gateway. Each property can also be given as an environment variable
 * (e.g. {@code gateway.master-key} as {@code GATEWAY_MASTER_KEY}).
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * Path of the model catalog, a LiteLLM proxy config YAML ({@code model_list}, {@code litellm_settings},
     * {@code general_settings}). When absent, the catalog bundled in the application is used.
     */
    Optional<String> configFile();

    /**
     * How often the catalog file is checked for changes (a mounted ConfigMap changes in place). A changed file is
     * loaded and served without a restart; an invalid one is logged and the catalog in force keeps serving.
     * 0 turns reloading off.
     */
    @WithDefault("10S")
    Duration configReloadInterval();

    /**
     * Keys clients must send as {@code Authorization: Bearer <key>}; several may be given comma-separated.
     * Overrides {@code general_settings.master_key} of the catalog.
     */
    Optional<List<String>> masterKey();

    Auth auth();

    Bedrock bedrock();

    Limits limits();

    Images images();

    Embeddings embeddings();

    Simulator simulator();

    interface Auth {
        /**
         * Whether the gateway may run without any key. When false (the production default) and no key is
         * configured, start-up fails rather than serving an open gateway. Dev and test profiles allow it.
         */
        @WithDefault("false")
        boolean allowAnonymous();
    }

    interface Bedrock {
        /** Bedrock runtime URL to use instead of the regional AWS endpoint (tests, VPC endpoints, simulators). */
        Optional<URI> endpointOverride();

        /** HTTP protocol of the async client: {@code HTTP2} (Bedrock's default) or {@code HTTP1_1}. */
        @WithDefault("HTTP2")
        HttpProtocol protocol();

        /** Region for catalog entries without {@code aws_region_name}: {@code AWS_REGION}, else us-east-1. */
        @WithDefault("${AWS_REGION:us-east-1}")
        String region();

        /**
         * Attempts the AWS SDK makes per Bedrock call (1 = no SDK retries). The SDK's standard retry mode
         * retries throttling, 5xx and connection errors with backoff and jitter.
         */
        @WithDefault("3")
        int maxAttempts();

        /** Upper bound for one Bedrock call including SDK retries. */
        @WithDefault("5M")
        Duration apiCallTimeout();

        /**
         * Longest silence allowed in a stream: before its first event and between two events. A stalled stream
         * ends with an error frame (or a 504 before anything was sent), never a hang or a clean-looking end.
         */
        @WithDefault("60S")
        Duration streamIdleTimeout();

        /** Connection timeout to the Bedrock endpoint. */
        @WithDefault("5S")
        Duration connectTimeout();

        /** Maximum open connections (HTTP/1.1) or streams (HTTP/2) per region client. */
        @WithDefault("256")
        int maxConcurrency();
    }

    enum HttpProtocol {
        HTTP2,
        HTTP1_1
    }

    interface Limits {
        /** Largest accepted request body in bytes; larger bodies are answered 413. */
        @WithDefault("16777216")
        long maxRequestBytes();

        /**
         * Largest accepted request header block in bytes; larger ones are answered 431. Keep it below
         * {@code quarkus.http.limits.max-header-size} (64K), above which the HTTP layer answers without a body.
         */
        @WithDefault("32768")
        int maxHeaderBytes();
    }

    interface Embeddings {
        /**
         * Bedrock calls in flight at once for one embeddings request whose inputs the model takes one per call
         * (Titan, Nova); results come back in input order whatever the completion order.
         */
        @WithDefault("8")
        int maxConcurrency();
    }

    /** Remote images ({@code image_url} with an {@code https://} URL), fetched by the gateway. */
    interface Images {
        /** Whether remote image URLs are fetched at all; when false they are answered 400. */
        @WithDefault("true")
        boolean fetchEnabled();

        /** Largest image accepted, in bytes (Bedrock's own limit is 3.75 MB per image). */
        @WithDefault("3932160")
        int maxBytes();

        /** Time limit for one fetch, redirects included. */
        @WithDefault("10S")
        Duration timeout();

        /** Redirects followed; each target is checked like the first URL. */
        @WithDefault("3")
        int maxRedirects();

        /**
         * Hosts (exact names) or address ranges (CIDR, e.g. {@code 10.1.0.0/16}) that may be fetched although they
         * are loopback, link-local, private or otherwise internal. Empty by default: nothing internal is reachable.
         */
        Optional<List<String>> allowedHosts();

        /** Whether plain {@code http://} URLs are fetched too (off: only {@code https://}). */
        @WithDefault("false")
        boolean allowHttp();
    }

    interface Simulator {
        /**
         * Dev mode only (the simulator is not part of production builds): {@code auto} serves requests from the
         * built-in Bedrock simulator when no endpoint override is set and no AWS credentials are found;
         * {@code true} always uses it; {@code false} never does.
         */
        @WithDefault("auto")
        String enabled();

        /** Port the simulator listens on (127.0.0.1); 0 picks a free one. */
        @WithDefault("0")
        int port();

        /** Delay before the simulator answers, to feel latency in dev mode. */
        @WithDefault("0S")
        Duration latency();
    }
}
