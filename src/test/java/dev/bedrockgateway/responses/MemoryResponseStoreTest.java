package dev.bedrockgateway.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

class MemoryResponseStoreTest extends ResponseStoreContract {

    private static final Duration RETENTION = Duration.ofDays(30);

    /** The clock of expiry. */
    private final AtomicLong nanos = new AtomicLong();

    private final MemoryResponseStore store = new MemoryResponseStore(1 << 20, RETENTION, nanos::get);

    @Override
    ResponseStore store() {
        return store;
    }

    @Test
    void everyCallCompletesOnSubscription() {
        now(store.save(response("resp_1", "key-a", "x")));
        assertTrue(now(store.find("resp_1", "key-a")).isPresent());
        assertTrue(now(store.delete("resp_1", "key-a")));
        assertEquals("memory", store.kind());
    }

    @Test
    void theWeightBoundEvicts() {
        long bound = 1000;
        MemoryResponseStore small = new MemoryResponseStore(bound, RETENTION, nanos::get);
        String text = "x".repeat(100);
        int weight = response("resp_0", "key-a", text).weight();
        IntStream.range(0, 10).forEach(i -> now(small.save(response("resp_" + i, "key-a", text))));
        long kept = IntStream.range(0, 10).filter(i -> now(small.find("resp_" + i, "key-a")).isPresent()).count();
        assertTrue(kept >= 1 && kept <= bound / weight, kept + " responses of " + weight + " bytes kept");

        now(small.save(response("resp_huge", "key-a", "x".repeat((int) bound))));
        assertEquals(Optional.empty(), now(small.find("resp_huge", "key-a")), "heavier than the whole bound");
    }

    @Test
    void aResponseExpiresAfterTheRetentionFromItsLastSave() {
        now(store.save(response("resp_1", "key-a", "x")));
        nanos.addAndGet(RETENTION.minusSeconds(1).toNanos());
        assertTrue(now(store.find("resp_1", "key-a")).isPresent());
        now(store.save(response("resp_1", "key-a", "x")));
        nanos.addAndGet(RETENTION.minusSeconds(1).toNanos());
        assertTrue(now(store.find("resp_1", "key-a")).isPresent(), "saving again starts the retention again");
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals(Optional.empty(), now(store.find("resp_1", "key-a")));
        assertFalse(now(store.delete("resp_1", "key-a")));

        now(store.save(response("resp_1", "key-b", "new")));
        assertEquals("new", text(now(store.find("resp_1", "key-b")).orElseThrow()), "an expired id is free");
    }

    /** The item of {@code uni}, which must be there on subscription. */
    private static <T> T now(Uni<T> uni) {
        return uni.subscribe().withSubscriber(UniAssertSubscriber.<T> create()).assertCompleted().getItem();
    }
}
