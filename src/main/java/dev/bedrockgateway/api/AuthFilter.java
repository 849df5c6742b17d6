package dev.bedrockgateway.api;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import dev.bedrockgateway.api.admin.AdminPaths;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.governance.ApiKeys;
import dev.bedrockgateway.governance.Caller;
import dev.bedrockgateway.governance.KeyHashes;
import dev.bedrockgateway.governance.VirtualKeys;
import dev.bedrockgateway.governance.store.GovernanceStore;
import dev.bedrockgateway.governance.store.Team;
import dev.bedrockgateway.governance.store.VirtualKey;
import dev.bedrockgateway.observability.RequestRecord;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code Authorization: Bearer <key>} (or Anthropic's {@code x-api-key: <key>}) on every API endpoint: a master key ({@link ApiKeys}, checked in memory), else a
 * virtual key ({@link VirtualKeys}: from memory after its first use). The admin API ({@link AdminPaths}) takes master
 * keys only. Health and metrics live on the management interface, which this filter never sees.
 */
public class AuthFilter {

    private static final String BEARER = "bearer ";
    private static final String X_API_KEY = "x-api-key";
    private static final Caller ANONYMOUS = Caller.master(RequestRecord.ANONYMOUS);

    private final ApiKeys keys;
    private final VirtualKeys virtualKeys;
    /** The callers of the master keys, one per key (there are a few): none made per request. */
    private final Map<String, Caller> masters = new ConcurrentHashMap<>();

    public AuthFilter(ApiKeys keys, VirtualKeys virtualKeys) {
        this.keys = keys;
        this.virtualKeys = virtualKeys;
    }

    /**
     * Master keys, anonymous callers and virtual keys already in memory are decided on the spot; only a virtual key
     * not in memory yet suspends the request, until the database answered. A filter returning a {@code Uni} would suspend and
     * resume every request, which costs a master-key request measurably (docs/performance/investigations.md).
     */
    @ServerRequestFilter
    public void authenticate(ResteasyReactiveContainerRequestContext request, RoutingContext context) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String key = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : "";
        if (key.isEmpty()) {
            // Anthropic's SDKs and Claude Code (ANTHROPIC_API_KEY) send the key in x-api-key.
            String apiKey = request.getHeaderString(X_API_KEY);
            if (apiKey != null && !apiKey.isBlank()) {
                header = apiKey;
                key = apiKey.trim();
            }
        }
        if (!key.isEmpty()) {
            String master = keys.identify(key);
            if (master != null) {
                accepted(context, masters.computeIfAbsent(master, Caller::master));
                return;
            }
        }
        boolean admin = AdminPaths.isAdmin(context.normalizedPath());
        if (key.isEmpty() || !virtualKeys.enabled()) {
            if (!keys.required()) {
                accepted(context, ANONYMOUS);
                return;
            }
            if (header == null || header.isBlank()) {
                throw noKey(context.normalizedPath());
            }
            throw incorrectKey();
        }
        String hash = KeyHashes.hash(key);
        Caller known = virtualKeys.known(hash);
        if (known != null) {
            acceptVirtual(context, known, admin);
            return;
        }
        request.suspend();
        virtualKeys.identify(hash)
                .onFailure(GovernanceStore.StoreUnavailable.class).transform(AuthFilter::storeDown)
                .map(caller -> {
                    if (caller == null) {
                        if (!keys.required()) {
                            return accepted(context, ANONYMOUS);
                        }
                        throw incorrectKey();
                    }
                    return acceptVirtual(context, caller, admin);
                })
                .subscribe().with(accepted -> request.resume(), request::resume);
    }

    private static Caller acceptVirtual(RoutingContext context, Caller caller, boolean admin) {
        refuseIfUnusable(caller);
        if (admin) {
            throw new OpenAiException(403, ErrorTypes.PERMISSION, null, null,
                    "The admin API takes a master key; this is a virtual key.");
        }
        return accepted(context, caller);
    }

    /** A key past its expiry, blocked, or of a blocked team, is refused as OpenAI refuses a revoked key. */
    private static void refuseIfUnusable(Caller caller) {
        VirtualKey key = caller.key();
        if (key.expires() != null && !key.expires().isAfter(Instant.now())) {
            throw new OpenAiException(401, ErrorTypes.INVALID_REQUEST, ErrorTypes.CODE_INVALID_API_KEY, null,
                    "This API key expired at " + key.expires() + ".");
        }
        if (key.blocked()) {
            throw new OpenAiException(401, ErrorTypes.INVALID_REQUEST, ErrorTypes.CODE_INVALID_API_KEY, null,
                    "This API key is blocked.");
        }
        Team team = caller.team();
        if (team != null && team.blocked()) {
            throw new OpenAiException(401, ErrorTypes.INVALID_REQUEST, ErrorTypes.CODE_INVALID_API_KEY, null,
                    "The team of this API key (" + team.teamId() + ") is blocked.");
        }
    }

    /** As each API words it. */
    private static OpenAiException noKey(String path) {
        String message = switch (WireFormat.of(path)) {
            case ANTHROPIC -> "x-api-key header is required (or Authorization: Bearer YOUR_KEY).";
            case BEDROCK -> "Authentication failed: send a key of the gateway as a bearer token "
                    + "(Authorization: Bearer YOUR_KEY; AWS_BEARER_TOKEN_BEDROCK for the AWS SDKs and Claude Code).";
            case OPENAI -> "You didn't provide an API key. You need to provide your API key in an Authorization header "
                    + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
        };
        return new OpenAiException(401, ErrorTypes.INVALID_REQUEST, null, null, message);
    }

    private static OpenAiException incorrectKey() {
        return new OpenAiException(401, ErrorTypes.INVALID_REQUEST, ErrorTypes.CODE_INVALID_API_KEY, null,
                "Incorrect API key provided.");
    }

    private static Throwable storeDown(Throwable failure) {
        return new OpenAiException(503, ErrorTypes.SERVER, "key_store_unavailable", null,
                "The gateway cannot check this API key right now: its key store is unreachable. Please retry.",
                Map.of("Retry-After", "1"), failure);
    }

    private static Caller accepted(RoutingContext context, Caller caller) {
        caller.attach(context);
        RequestRecord.of(context).keyId(caller.keyId());
        return caller;
    }
}
