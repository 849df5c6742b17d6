package dev.bedrockgateway.governance;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.governance.redis.RedisClients;
import dev.bedrockgateway.governance.store.GovernanceEvents;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The gateway's {@link GovernanceEvents}. With Redis, events are published on the channel {@value #CHANNEL} and one
 * connection per replica stays subscribed to it, so every replica, the sender included, hears every event; that
 * connection is re-established (backoff from {@link #MIN_BACKOFF} to {@link #MAX_BACKOFF}) whenever it drops, e.g.
 * when Redis restarts. Without Redis, events go to this process's listeners at once, on the publisher's thread.
 *
 * <p>Redis going away must not leave this replica unaware of its own changes: an event is delivered here directly
 * whenever the subscription would not bring it back (it is down, or the publish failed). Other replicas miss events
 * published during an outage and fall back on their key cache's expiry. Listeners run on an event loop and must not
 * block.
 */
@ApplicationScoped
public class Events implements GovernanceEvents {

    static final String CHANNEL = "bedrock-gateway:events";
    static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(Events.class);

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Vertx vertx;
    private final Redis client;
    private final Duration timeout;
    private final String where;
    /** The connection subscribed (or subscribing) now, null between two. */
    private final AtomicReference<RedisConnection> subscription = new AtomicReference<>();
    private volatile boolean subscribed;
    private volatile boolean closed;
    private volatile long backoffMillis = MIN_BACKOFF.toMillis();
    private final AtomicBoolean subscriptionLost = new AtomicBoolean();
    private final AtomicBoolean publishFailing = new AtomicBoolean();

    @Inject
    public Events(Vertx vertx, StoreUrls urls, GatewayConfig config) {
        this(vertx, urls.redis(), config.governance().storeTimeout());
    }

    Events(Vertx vertx, Optional<String> redisUrl, Duration timeout) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.where = redisUrl.map(RedisClients::redacted).orElse(null);
        this.client = redisUrl.map(url -> RedisClients.create(vertx, url)).orElse(null);
        if (client != null) {
            subscribe();
        }
    }

    @Override
    public void publish(String event) {
        try {
            if (client == null) {
                deliver(event);
                return;
            }
            boolean deliveredHere = !subscribed;
            if (deliveredHere) {
                deliver(event);
            }
            client.send(Request.cmd(Command.PUBLISH).arg(CHANNEL).arg(event))
                    .ifNoItem().after(timeout).fail()
                    .subscribe().with(ok -> {
                        if (publishFailing.compareAndSet(true, false)) {
                            LOG.warnf("Publishing governance events to Redis at %s works again", where);
                        }
                    }, failure -> {
                        if (publishFailing.compareAndSet(false, true)) {
                            LOG.warnf("Publishing governance events to Redis at %s failed (%s): other replicas miss "
                                    + "them until it works again; this replica applies its own", where, failure);
                        }
                        if (!deliveredHere) {
                            deliver(event);
                        }
                    });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Publishing governance event %s failed", event);
        }
    }

    @Override
    public void subscribe(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Whether this replica hears events from Redis right now; for readiness checks and tests. */
    public boolean subscribed() {
        return subscribed;
    }

    @PreDestroy
    void close() {
        closed = true;
        if (client != null) {
            RedisConnection connection = subscription.getAndSet(null);
            if (connection != null) {
                connection.closeAndForget();
            }
            client.close();
        }
    }

    private void subscribe() {
        if (closed) {
            return;
        }
        client.connect().ifNoItem().after(timeout).fail().subscribe().with(connection -> {
            subscription.set(connection);
            connection.handler(this::onMessage);
            connection.exceptionHandler(failure -> lost(connection, failure.toString()));
            connection.endHandler(() -> lost(connection, "connection closed"));
            connection.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL)).ifNoItem().after(timeout).fail()
                    .subscribe().with(ok -> {
                        if (subscription.get() != connection) {
                            return;
                        }
                        subscribed = true;
                        backoffMillis = MIN_BACKOFF.toMillis();
                        if (subscriptionLost.compareAndSet(true, false)) {
                            LOG.warnf("Subscribed to governance events on Redis at %s again", where);
                        }
                    }, failure -> lost(connection, failure.toString()));
        }, failure -> retry(failure.toString()));
    }

    private void onMessage(Response message) {
        // RESP2 answers an array, RESP3 a push: ["message", channel, payload] either way.
        if (message.size() == 3 && "message".equals(message.get(0).toString())) {
            deliver(message.get(2).toString());
        }
    }

    /** Called by every sign of a dead connection; only the first for the current connection acts. */
    private void lost(RedisConnection connection, String reason) {
        if (!subscription.compareAndSet(connection, null)) {
            return;
        }
        subscribed = false;
        connection.closeAndForget();
        retry(reason);
    }

    private void retry(String reason) {
        if (closed) {
            return;
        }
        if (subscriptionLost.compareAndSet(false, true)) {
            LOG.warnf("Not subscribed to governance events on Redis at %s (%s): retrying; meanwhile this replica "
                    + "hears only its own events", where, reason);
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF.toMillis(), delay * 2);
        vertx.setTimer(delay, id -> subscribe());
    }

    private void deliver(String event) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.errorf(e, "A listener failed on governance event %s", event);
            }
        }
    }
}
