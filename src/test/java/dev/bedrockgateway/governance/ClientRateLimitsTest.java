package dev.bedrockgateway.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.observability.RequestRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Per-key tokens per minute and the gateway-wide budgets, with exact counts (no clock movement matters here). */
class ClientRateLimitsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(registry);

    private static RequestRecord request(String key) {
        return new RequestRecord("req_test", System.nanoTime()).keyId(key);
    }

    /** Admits and, when admitted, uses {@code tokens}; returns the statuses as the client would see them. */
    private static List<Integer> calls(ClientRateLimits limits, String key, int count, int tokens) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RequestRecord record = request(key);
            try {
                limits.admit(record);
                limits.consumeTokens(record, tokens);
                statuses.add(200);
            } catch (OpenAiException e) {
                statuses.add(e.status());
            }
        }
        return statuses;
    }

    @Test
    void aKeysTokensPerMinuteRefuseOnceSpentAndOtherKeysAreUnaffected() {
        ClientRateLimits limits = new ClientRateLimits(new LocalRateLimiter(), metrics,
                new RateLimiter.Limit(0, 100), RateLimiter.Limit.NONE);
        assertEquals(List.of(200, 200, 200, 429), calls(limits, "key-a", 4, 40), "100 -> 60 -> 20 -> -20");
        assertEquals(List.of(200), calls(limits, "key-b", 1, 40));

        RequestRecord refused = request("key-a");
        OpenAiException e = assertThrows(OpenAiException.class, () -> limits.admit(refused));
        assertEquals("rate_limit_exceeded", e.code());
        assertTrue(e.getMessage().contains("tokens per min (TPM): Limit 100"), e.getMessage());
        assertTrue(Integer.parseInt(e.headers().get("Retry-After")) >= 1);
        assertEquals("100", refused.responseHeaders().get("x-ratelimit-limit-tokens"));
        assertEquals("0", refused.responseHeaders().get("x-ratelimit-remaining-tokens"));
        assertEquals(2.0, registry.get("gateway.rate.limited").tag("scope", "key").counter().count());
    }

    @Test
    void theGatewaysRequestsPerMinuteAreSharedByAllKeys() {
        ClientRateLimits limits = new ClientRateLimits(new LocalRateLimiter(), metrics, RateLimiter.Limit.NONE,
                new RateLimiter.Limit(3, 0));
        assertEquals(List.of(200, 200), calls(limits, "key-a", 2, 0));
        assertEquals(List.of(200, 429), calls(limits, "key-b", 2, 0));
        RequestRecord refused = request("key-c");
        OpenAiException e = assertThrows(OpenAiException.class, () -> limits.admit(refused));
        assertTrue(e.getMessage().contains("the gateway"), e.getMessage());
        assertEquals("3", refused.responseHeaders().get("x-ratelimit-limit-requests"),
                "without per-key limits the headers show the gateway's budget");
        assertEquals(2.0, registry.get("gateway.rate.limited").tag("scope", "global").counter().count());
    }
}
