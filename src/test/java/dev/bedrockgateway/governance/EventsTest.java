package dev.bedrockgateway.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.bedrockgateway.governance.store.GovernanceEvents;
import dev.bedrockgateway.testing.EmbeddedRedis;
import dev.bedrockgateway.testing.Eventually;
import io.vertx.mutiny.core.Vertx;

/** Events between two replicas through a real redis-server, across a restart of it. */
class EventsTest {

    private final Vertx vertx = Vertx.vertx();
    private final List<Events> events = new ArrayList<>();
    private EmbeddedRedis server;

    @AfterEach
    void close() {
        events.forEach(Events::close);
        vertx.closeAndAwait();
        if (server != null) {
            server.close();
        }
    }

    private Events replica(String url, BlockingQueue<String> heard) {
        Events replica = new Events(vertx, Optional.ofNullable(url), Duration.ofMillis(500));
        replica.subscribe(heard::add);
        events.add(replica);
        return replica;
    }

    @Test
    void withoutRedisEventsReachThisProcessAtOnce() {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        Events local = replica(null, heard);
        local.publish(GovernanceEvents.key("abc"));
        assertEquals("key:abc", heard.poll(), "delivered before publish returned");
    }

    @Test
    void everyReplicaHearsEveryEventAlsoAfterRedisRestarted() throws Exception {
        server = EmbeddedRedis.start();
        BlockingQueue<String> heardA = new LinkedBlockingQueue<>();
        BlockingQueue<String> heardB = new LinkedBlockingQueue<>();
        Events a = replica(server.url(), heardA);
        Events b = replica(server.url(), heardB);
        Eventually.until(() -> a.subscribed() && b.subscribed(), "both subscribed");

        a.publish(GovernanceEvents.team("t1"));
        assertEquals("team:t1", heardA.poll(1, TimeUnit.SECONDS));
        assertEquals("team:t1", heardB.poll(1, TimeUnit.SECONDS));

        server.stop();
        Eventually.until(() -> !a.subscribed() && !b.subscribed(), "both saw the subscription drop");
        a.publish(GovernanceEvents.key("during"));
        assertEquals("key:during", heardA.poll(1, TimeUnit.SECONDS), "the sender applies its own event");
        assertNull(heardB.poll(300, TimeUnit.MILLISECONDS), "nothing can carry it to the other replica");

        server.up();
        Eventually.until(() -> a.subscribed() && b.subscribed(), "both subscribed again");
        b.publish(GovernanceEvents.cooldown("d1", 42));
        assertEquals("cooldown:42:d1", heardA.poll(1, TimeUnit.SECONDS));
        assertEquals("cooldown:42:d1", heardB.poll(1, TimeUnit.SECONDS));
        assertNull(heardA.poll(200, TimeUnit.MILLISECONDS), "each event once");
        assertNull(heardB.poll(1, TimeUnit.MILLISECONDS), "each event once");
    }

    @Test
    void aFailingListenerDoesNotKeepEventsFromTheOthers() {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        Events local = new Events(vertx, Optional.empty(), Duration.ofMillis(500));
        events.add(local);
        local.subscribe(e -> {
            throw new IllegalStateException("boom");
        });
        local.subscribe(heard::add);
        local.publish("x");
        assertEquals("x", heard.poll());
        assertTrue(heard.isEmpty());
        assertFalse(local.subscribed(), "no Redis, no subscription");
    }
}
