package dev.bedrockgateway.responses;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.mutiny.Uni;

/**
 * {@link ResponseStore} in this process's memory, for a gateway without a database: lost at restart and not shared
 * between replicas. It holds at most {@code gateway.responses.memory-max-bytes} ({@link StoredResponse#weight()});
 * past that Caffeine evicts the responses least likely to be used again (a response heavier than the whole bound is not
 * kept at all). A response is dropped {@code gateway.responses.retention} after it was saved. Every {@link Uni} it
 * answers completes on subscription, on the calling thread.
 */
final class MemoryResponseStore implements ResponseStore {

    private final Cache<String, StoredResponse> responses;

    MemoryResponseStore(long maxBytes, Duration retention) {
        this(maxBytes, retention, Ticker.systemTicker());
    }

    /** @param ticker the clock of expiry (a fake one in tests) */
    MemoryResponseStore(long maxBytes, Duration retention, Ticker ticker) {
        this.responses = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String id, StoredResponse response) -> response.weight())
                .expireAfterWrite(retention)
                .ticker(ticker)
                // Evictions run on the saving thread, so the bound holds as soon as save completes; they are cheap.
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Uni<Void> save(StoredResponse response) {
        return Uni.createFrom().item(() -> {
            responses.asMap().merge(response.id(), response, (held, saved) -> {
                if (!held.owner().equals(saved.owner())) {
                    throw new IllegalStateException("response " + saved.id() + " belongs to another owner");
                }
                return saved;
            });
            return null;
        });
    }

    @Override
    public Uni<Optional<StoredResponse>> find(String id, String owner) {
        return Uni.createFrom().item(() -> Optional.ofNullable(responses.getIfPresent(id))
                .filter(response -> response.owner().equals(owner)));
    }

    @Override
    public Uni<Boolean> delete(String id, String owner) {
        return Uni.createFrom().item(() -> {
            StoredResponse held = responses.getIfPresent(id);
            return held != null && held.owner().equals(owner) && responses.asMap().remove(id, held);
        });
    }

    @Override
    public String kind() {
        return "memory";
    }
}
