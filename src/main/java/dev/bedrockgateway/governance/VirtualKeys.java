package dev.bedrockgateway.governance;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.governance.store.GovernanceEvents;
import dev.bedrockgateway.governance.store.GovernanceStore;
import dev.bedrockgateway.governance.store.VirtualKey;
import io.smallrye.mutiny.Uni;

/**
 * Virtual keys as the hot path sees them: from memory after their first use. A key (with its team) read from the
 * database is kept for {@code gateway.governance.key-cache-ttl}; an unknown hash for {@link #UNKNOWN_TTL}, so that
 * guessing keys cannot flood the database. Changes made through the admin API on any replica drop the entries at
 * once ({@link GovernanceEvents}); without Redis, other replicas see them when the entry expires. Concurrent misses
 * of one key share one database read; a failed read is not kept.
 */
@ApplicationScoped
public class VirtualKeys {

    static final Duration UNKNOWN_TTL = Duration.ofSeconds(2);

    /** A key's caller (its key and team), or none for a hash the database does not know. */
    record Entry(Caller caller) {
        static final Entry UNKNOWN = new Entry(null);

        VirtualKey key() {
            return caller == null ? null : caller.key();
        }
    }

    private final GovernanceStore store;
    private final GovernanceEvents events;
    private final AsyncCache<String, Entry> cache;

    @Inject
    public VirtualKeys(GovernanceStore store, GovernanceEvents events, GatewayConfig config) {
        this(store, events, config.governance().keyCacheTtl());
    }

    VirtualKeys(GovernanceStore store, GovernanceEvents events, Duration ttl) {
        this.store = store;
        this.events = events;
        this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfter(new Expiry<String, Entry>() {
            @Override
            public long expireAfterCreate(String hash, Entry entry, long now) {
                return (entry.key() == null ? UNKNOWN_TTL : ttl).toNanos();
            }

            @Override
            public long expireAfterUpdate(String hash, Entry entry, long now, long remaining) {
                return expireAfterCreate(hash, entry, now);
            }

            @Override
            public long expireAfterRead(String hash, Entry entry, long now, long remaining) {
                return remaining;
            }
        }).buildAsync();
    }

    @PostConstruct
    void listen() {
        events.subscribe(this::changed);
    }

    /** Whether virtual keys exist at all: only with a database. */
    public boolean enabled() {
        return store.configured();
    }

    /**
     * The caller of a key already in memory, answered on the spot; null when the key is not in memory (yet) or is
     * known not to exist.
     */
    public Caller known(String tokenHash) {
        CompletableFuture<Entry> entry = cache.getIfPresent(tokenHash);
        return entry != null && entry.isDone() && !entry.isCompletedExceptionally() ? entry.join().caller() : null;
    }

    /** The caller a key hash stands for, or a null item when no virtual key has it. */
    public Uni<Caller> identify(String tokenHash) {
        CompletableFuture<Entry> entry = cache.get(tokenHash, (hash, executor) -> load(hash).subscribeAsCompletionStage());
        if (entry.isDone() && !entry.isCompletedExceptionally()) {
            return Uni.createFrom().item(entry.join().caller());
        }
        return Uni.createFrom().completionStage(entry).map(Entry::caller);
    }

    private Uni<Entry> load(String hash) {
        return store.findKey(hash).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Entry.UNKNOWN);
            }
            VirtualKey key = found.get();
            if (key.teamId() == null) {
                return Uni.createFrom().item(new Entry(new Caller(KeyHashes.logId(hash), key, null)));
            }
            return store.findTeam(key.teamId())
                    .map(team -> new Entry(new Caller(KeyHashes.logId(hash), key, team.orElse(null))));
        });
    }

    /** Applies an event of any replica: the key or the team's keys are read again on their next use. */
    void changed(String event) {
        String key = GovernanceEvents.changedKey(event);
        String teamId = GovernanceEvents.changedTeam(event);
        if (key != null) {
            cache.synchronous().invalidate(key);
        } else if (teamId != null) {
            cache.synchronous().asMap().entrySet().removeIf(e -> e.getValue().key() != null
                    && teamId.equals(e.getValue().key().teamId()));
        }
    }

    /** Forgets a key here (the admin API also publishes the change to the other replicas). */
    public void forget(String tokenHash) {
        cache.synchronous().invalidate(tokenHash);
    }
}
