package dev.bedrockgateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

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
     * Overrides {@code general_settings.master_key} of the catalog. Only their SHA-256 digests are kept, and a key
     * presented is compared with each in constant time.
     */
    Optional<List<String>> masterKey();

    /**
     * PostgreSQL for virtual keys, teams and the spend log, as LiteLLM's {@code DATABASE_URL} takes it:
     * {@code postgresql://user:password@host:5432/database}, TLS as libpq's query options say:
     * {@code sslmode=require} encrypts without verifying the server; {@code sslmode=verify-full&sslrootcert=<file>}
     * also verifies its certificate against the PEM certificates of that file (for RDS its global bundle) and that it
     * names the URL's host ({@code verify-ca}: the certificate alone); without {@code sslrootcert} the verifying modes
     * use the JVM's trust store. An {@code sslrootcert} that cannot be read stops the start. {@code DATABASE_URL} is
     * read too; the catalog's {@code general_settings.database_url} is used when neither is set. Without a database the
     * gateway serves master keys only. Read at start.
     */
    Optional<String> databaseUrl();

    /**
     * Redis or Valkey ({@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS: the server's
     * certificate verified against the JVM's trust store and naming the URL's host) for what the replicas share:
     * rate-limit and budget counters, requests in flight per key, key revocations and deployment cool-downs. The
     * catalog's {@code router_settings.redis_host}/{@code redis_port}/{@code redis_password} are
     * used when it is not set. Without Redis each replica counts on its own. Read at start.
     */
    Optional<String> redisUrl();

    CatalogFile catalog();

    Auth auth();

    Governance governance();

    Bedrock bedrock();

    Limits limits();

    Routing routing();

    RateLimits rateLimits();

    AccessLog accessLog();

    Images images();

    Embeddings embeddings();

    Simulator simulator();

    Anthropic anthropic();

    Responses responses();

    /** OpenAI's Responses API ({@code /v1/responses}): stored responses and sealed reasoning (docs/responses.md). */
    interface Responses {
        /**
         * How long a response made with {@code store: true} is kept for {@code previous_response_id} and
         * {@code GET /v1/responses/{id}} (OpenAI keeps them 30 days). In PostgreSQL when the gateway has a database
         * (shared by the replicas), otherwise in this replica's memory.
         */
        @WithDefault("30D")
        Duration retention();

        /**
         * Bound of the in-memory store (used without a database), in bytes of stored JSON: past it the responses least
         * likely to be used again are evicted (Caffeine's policy, which weighs how recently and how often each was
         * read). A continued conversation stores its whole context with each response. A full store costs more than its
         * bytes: under load, peak RSS was about 263 MB with 16 MiB, 294 MB with 32 MiB and 360 MB with 64 MiB, against
         * about 230 MB without stored responses (docs/performance/investigations.md).
         */
        @WithDefault("16777216")
        long memoryMaxBytes();

        /**
         * Secret that seals Claude's reasoning (thinking text and signature) into a reasoning item's
         * {@code encrypted_content} (AES-GCM), so that a client keeping the context itself ({@code store: false})
         * sends it back unchanged. When absent it is derived from the first master key; without a master key each
         * process draws its own (then sealed reasoning does not survive a restart or cross replicas).
         */
        Optional<String> reasoningSecret();
    }

    /**
     * Claude on Bedrock through Anthropic's Messages API ({@code /v1/messages}): what Bedrock takes of what Anthropic's
     * own API takes, per model (docs/anthropic.md). Models are named by substrings of their Bedrock model id
     * ({@code claude-sonnet-4-5} matches {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0}), {@code *} for every
     * Claude model.
     */
    interface Anthropic {
        /**
         * The {@code anthropic-beta} flags passed on to Bedrock, each with the models that take it,
         * e.g. {@code gateway.anthropic.beta-flags.interleaved-thinking-2025-05-14=claude-sonnet-4,claude-opus-4}.
         * A flag not listed, or sent for a model it does not list, is dropped (named in the answer's
         * {@code x-bedrock-gateway-adapted} header) instead of failing the request. {@code context_management} is
         * passed where {@code context-management-2025-06-27} is, {@code output_config.effort} where
         * {@code effort-2025-11-24} is. The defaults are in application.properties; an entry set here replaces the
         * default for that flag ({@code none} takes it away from every model).
         */
        Map<String, List<String>> betaFlags();

        /**
         * Models that take adaptive thinking ({@code thinking.type} {@code adaptive}); elsewhere it becomes
         * {@code enabled} with a {@code budget_tokens} share of {@code max_tokens} set by {@code output_config.effort}
         * (low 25 %, medium 50 %, high or none 80 %, max 95 %), or is dropped when {@code max_tokens} leaves no room
         * for the 1,024-token minimum.
         */
        @WithDefault("claude-opus-4-6,claude-sonnet-4-6")
        List<String> adaptiveThinking();
    }

    /** What the gateway does with a model catalog that has errors (the catalog itself: {@code gateway.config-file}). */
    interface CatalogFile {
        /**
         * A catalog with errors at start-up: when false (the production default) the gateway does not start, and
         * logs each error on a line of its own. When true (dev mode) it starts anyway, answers every API request with
         * all the errors (503, in the error shape of the request's API) and reports readiness DOWN, until a fixed
         * file is loaded ({@code gateway.config-reload-interval}, or dev mode's live reload for the bundled catalog).
         */
        @WithDefault("false")
        boolean serveErrors();
    }

    interface Auth {
        /**
         * Whether the gateway may run without any key. When false (the production default) and no key is
         * configured, start-up fails rather than serving an open gateway. Dev and test profiles allow it.
         */
        @WithDefault("false")
        boolean allowAnonymous();
    }

    /** Virtual keys, teams, budgets and spend (with {@code gateway.database-url}); docs/governance.md. */
    interface Governance {
        /**
         * How long a virtual key (and its team) is served from memory after it was read from the database. Changes
         * made through the admin API reach every replica at once through Redis; without Redis, other replicas see
         * them after at most this long.
         */
        @WithDefault("30S")
        Duration keyCacheTtl();

        /** Bound of one call to PostgreSQL or Redis; past it the call counts as failed (never a hung request). */
        @WithDefault("2S")
        Duration storeTimeout();

        /** How often buffered spend rows are written to the database (in one transaction per batch). */
        @WithDefault("1S")
        Duration spendFlushInterval();

        /**
         * Spend rows kept in memory while the database is unreachable; past it, the oldest are dropped and counted
         * in {@code gateway_spend_rows_dropped_total} (and logged), never silently.
         */
        @WithDefault("100000")
        int spendBuffer();

        /**
         * Output tokens assumed for a request that sets no {@code max_tokens}, when its budget is reserved and the
         * catalog entry gives no {@code model_info.max_output_tokens}.
         */
        @WithDefault("4096")
        int defaultMaxOutputTokens();
    }

    interface Bedrock {
        /** Bedrock runtime URL to use instead of the regional AWS endpoint (tests, VPC endpoints, simulators). */
        Optional<URI> endpointOverride();

        /**
         * HTTP protocol of the async client: {@code HTTP1_1} (a pool of up to {@code max-concurrency} connections;
         * measured cheaper per call than HTTP/2, docs/performance/investigations.md) or {@code HTTP2} (one
         * multiplexed connection).
         */
        @WithDefault("HTTP1_1")
        HttpProtocol protocol();

        /**
         * The SDK's HTTP client for Bedrock: {@code VERTX} (Vert.x's HTTP client, a pool per event loop: a call is
         * sent and answered on the event loop of its request; the least CPU and added latency,
         * docs/performance/investigations.md) or {@code NETTY} (the SDK's Netty client on Vert.x's event loops).
         * {@code HTTP2} always takes Netty.
         */
        @WithDefault("VERTX")
        HttpClientKind httpClient();

        /** Region for catalog entries without {@code aws_region_name}: {@code AWS_REGION}, else us-east-1. */
        @WithDefault("${AWS_REGION:us-east-1}")
        String region();

        /**
         * Upper bound for one Bedrock call (one attempt), from request to the last byte: the whole answer of a
         * non-streaming call (whose first byte is the whole answer), the whole stream of a streaming one. The
         * catalog's {@code litellm_settings.request_timeout} / {@code router_settings.timeout} wins when set.
         */
        @WithDefault("600S")
        Duration requestTimeout();

        /**
         * Streams: longest wait for the first event of one attempt. On expiry the attempt is abandoned and retried
         * (or the next deployment or fallback is tried); when none is left, the client gets a 504.
         */
        @WithDefault("60S")
        Duration firstByteTimeout();

        /**
         * Streams: longest silence between two events once the first arrived. A stalled stream ends with an error
         * frame, never a hang or a clean-looking end; it is not retried (bytes were already sent).
         */
        @WithDefault("60S")
        Duration streamIdleTimeout();

        /** Connection timeout to the Bedrock endpoint. */
        @WithDefault("5S")
        Duration connectTimeout();

        /**
         * Maximum open connections (HTTP/1.1) or streams (HTTP/2) per region client. With the {@code VERTX} client
         * they are shared evenly by the event loops' pools (64 each with the 4 loops of 2 cores); a call that finds its
         * loop's pool busy waits for a connection.
         */
        @WithDefault("256")
        int maxConcurrency();
    }

    enum HttpProtocol {
        HTTP2,
        HTTP1_1
    }

    enum HttpClientKind {
        VERTX,
        NETTY
    }

    interface Limits {
        /**
         * Largest accepted request body in bytes; larger bodies are answered 413 {@code request_too_large}: before the
         * body is read when {@code Content-Length} announces it, once the limit is passed for a chunked body. The
         * connection is then closed.
         */
        @WithDefault("16777216")
        long maxRequestBytes();

        /**
         * Request bodies (by their {@code Content-Length}) the gateway holds in memory at once. A request that would
         * pass it is answered 503 {@code server_overloaded} with {@code Retry-After: 1} before its body is read (the
         * OpenAI SDKs retry those); a request arriving when nothing else is in flight is always taken. A body costs
         * about seven times its size in heap while it is translated, signed and sent, and more at its peak, so the
         * default is a sixteenth of the JVM's maximum heap (about 19 MB with the container's {@code -Xmx320m}).
         * Chunked bodies are not counted.
         */
        OptionalLong maxInFlightRequestBytes();

        /**
         * Largest accepted request header block in bytes; larger ones are answered 431. Keep it below
         * {@code quarkus.http.limits.max-header-size} (64K), above which the HTTP layer answers without a body.
         */
        @WithDefault("32768")
        int maxHeaderBytes();

        /**
         * Longest request URI (path and query) in bytes; longer ones are answered 414. Keep it below
         * {@code quarkus.http.limits.max-initial-line-length} (64K), above which the HTTP layer answers without a
         * body.
         */
        @WithDefault("8192")
        int maxUriBytes();

        /** Most messages one chat request may carry (400 beyond). */
        @WithDefault("2048")
        int maxMessages();

        /**
         * Largest {@code max_tokens} / {@code max_completion_tokens} a request may ask for (400 beyond). Unset:
         * only the model's own limit applies, which Bedrock enforces.
         */
        OptionalInt maxOutputTokens();
    }

    /**
     * How requests are spread over a model's deployments and what happens when Bedrock fails. Each of these is
     * overridden by the catalog's own LiteLLM setting when it has one (named in brackets).
     */
    interface Routing {
        /**
         * Retries of a failed Bedrock call ({@code num_retries}): throttling, 5xx, timeouts and connection failures
         * are retried with exponential backoff and jitter, on the least busy usable deployment of the model, and
         * only while nothing was sent to the client. The AWS SDK's own retries are off: this is the only layer.
         */
        @WithDefault("2")
        int numRetries();

        /** Delay before the first retry; each further retry doubles it, up to {@code retry-max-delay}. */
        @WithDefault("200MS")
        Duration retryDelay();

        /** Longest delay between two retries. */
        @WithDefault("5S")
        Duration retryMaxDelay();

        /** Random variation added to or taken from each retry delay, so clients do not retry in lockstep. */
        @WithDefault("100MS")
        Duration retryJitter();

        /**
         * Consecutive failures ({@code allowed_fails}) a deployment may have before it is cooled down: its circuit
         * opens after {@code allowed-fails + 1} failed calls in a row and traffic goes to its siblings.
         */
        @WithDefault("3")
        int allowedFails();

        /** How long a cooled-down deployment gets no traffic before one trial call ({@code cooldown_time}). */
        @WithDefault("5S")
        Duration cooldownTime();

        /**
         * How a deployment is picked among a model's usable ones ({@code routing_strategy}): {@code least-busy}
         * (fewest calls in flight, ties in turn) or {@code simple-shuffle} (in turn).
         */
        @WithDefault("least-busy")
        String strategy();

        /**
         * Bulkhead: calls (streams included, until they end) in flight at once per deployment
         * ({@code litellm_params.max_parallel_requests}). A full deployment is skipped; when all are full the
         * client gets a 429 at once rather than a queue.
         */
        @WithDefault("256")
        int maxParallelRequests();
    }

    /**
     * Client rate limits, per minute, refilled continuously (token buckets). In-process: with several replicas each
     * replica enforces them on its own share of the traffic. The catalog's per-deployment {@code rpm}/{@code tpm}
     * steer traffic away from a deployment at its limit.
     */
    interface RateLimits {
        /** Requests per minute per API key. */
        OptionalInt keyRpm();

        /** Tokens (prompt + completion, as Bedrock counted them) per minute per API key. */
        OptionalInt keyTpm();

        /** Requests per minute for the whole gateway (all keys together). */
        OptionalInt rpm();

        /** Tokens per minute for the whole gateway. */
        OptionalInt tpm();
    }

    /** One line per API request (request id, key id, endpoint, model, status, latency, tokens; never keys or prompts). */
    interface AccessLog {
        /**
         * Whether each API request writes one line to the logger {@code bedrock-gateway.access} (in the JSON log format,
         * its fields as separate keys). Its cost per request is measured in docs/performance/investigations.md.
         */
        @WithDefault("true")
        boolean enabled();
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
