package dev.bedrockgateway.observability;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.bedrockgateway.catalog.Deployment;
import io.vertx.ext.web.RoutingContext;

/**
 * What the gateway learned about one API request while serving it: who asked (key id, never the key), for which
 * model, which deployment answered, tokens, time to first token. Created when the request arrives
 * ({@link AccessLog}), filled in by the pipeline and the router, read once at the end for the access line and the
 * metrics. Never holds prompt text or keys.
 */
public final class RequestRecord {

    public static final String ANONYMOUS = "anonymous";

    private static final String KEY = RequestRecord.class.getName();

    private final String requestId;
    private final long startNanos;
    private volatile String keyId = ANONYMOUS;
    private volatile String endpoint;
    private volatile String model;
    private volatile Deployment deployment;
    private volatile boolean stream;
    private volatile int inputTokens = -1;
    private volatile int outputTokens = -1;
    private volatile long cacheReadTokens;
    private volatile long cacheWriteTokens;
    private volatile long costNanoUsd = -1;
    private volatile long firstTokenNanos;
    private volatile int retries;
    private volatile String fallbackFrom;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();

    public RequestRecord(String requestId, long startNanos) {
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    /** The record of the request {@code context} serves (created on first use when the access log did not run). */
    public static RequestRecord of(RoutingContext context) {
        RequestRecord record = context.get(KEY);
        if (record == null) {
            record = new RequestRecord(AccessLog.newRequestId(), System.nanoTime());
            context.put(KEY, record);
        }
        return record;
    }

    static void attach(RoutingContext context, RequestRecord record) {
        context.put(KEY, record);
    }

    public String requestId() {
        return requestId;
    }

    public long startNanos() {
        return startNanos;
    }

    public String keyId() {
        return keyId;
    }

    public RequestRecord keyId(String id) {
        this.keyId = id;
        return this;
    }

    public String endpoint() {
        return endpoint;
    }

    /** Names the API (e.g. {@code chat.completions}) and the client's model name. */
    public RequestRecord request(String endpoint, String model, boolean stream) {
        this.endpoint = endpoint;
        this.model = model;
        this.stream = stream;
        return this;
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    public Deployment deployment() {
        return deployment;
    }

    public void deployment(Deployment served) {
        this.deployment = served;
    }

    public String bedrockModel() {
        Deployment d = deployment;
        return d == null ? null : d.modelId();
    }

    public int inputTokens() {
        return inputTokens;
    }

    public int outputTokens() {
        return outputTokens;
    }

    /** Adds the tokens of one Bedrock call (a legacy completion makes several, concurrently). */
    public synchronized void addTokens(int input, int output) {
        this.inputTokens = Math.max(0, inputTokens) + input;
        this.outputTokens = Math.max(0, outputTokens) + output;
    }

    /** Adds the prompt-cache tokens of one Bedrock call (not part of {@link #inputTokens}, as Bedrock reports them). */
    public synchronized void addCacheTokens(long read, long write) {
        this.cacheReadTokens += read;
        this.cacheWriteTokens += write;
    }

    public long cacheReadTokens() {
        return cacheReadTokens;
    }

    public long cacheWriteTokens() {
        return cacheWriteTokens;
    }

    /** Adds the cost of one Bedrock call, priced on the deployment that answered it. */
    public synchronized void addCost(long nanoUsd) {
        this.costNanoUsd = Math.max(0, costNanoUsd) + nanoUsd;
    }

    /** The cost of the request's Bedrock calls in 1e-9 USD, or -1 when none was priced. */
    public long costNanoUsd() {
        return costNanoUsd;
    }

    /** Marks the first token sent to the client (the first time only); returns true that first time. */
    public boolean firstToken(long nanos) {
        if (firstTokenNanos != 0) {
            return false;
        }
        firstTokenNanos = nanos;
        return true;
    }

    /** Nanoseconds from arrival to the first token, or -1 when none was sent. */
    public long timeToFirstTokenNanos() {
        return firstTokenNanos == 0 ? -1 : firstTokenNanos - startNanos;
    }

    public int retries() {
        return retries;
    }

    public void retried() {
        retries++;
    }

    public String fallbackFrom() {
        return fallbackFrom;
    }

    public void fellBackFrom(String modelName) {
        if (fallbackFrom == null) {
            fallbackFrom = modelName;
        }
    }

    /** Adds a response header (rate limit state); written when the response headers go out, error or not. */
    public synchronized void header(String name, String value) {
        responseHeaders.put(name, value);
    }

    /** The headers added so far. */
    public synchronized Map<String, String> responseHeaders() {
        return new LinkedHashMap<>(responseHeaders);
    }
}
