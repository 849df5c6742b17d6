package dev.bedrockgateway.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ShutdownAnnouncementTest {

    @Test
    void behindALoadBalancerTheLineNamesTheDelayAndTheTimeout() {
        assertEquals("Shutting down: readiness is DOWN; new requests are still served for 15 s (quarkus.shutdown.delay) "
                + "while the load balancer stops routing here, then up to 60 s (quarkus.shutdown.timeout) for the "
                + "requests in flight (3 requests now)",
                ShutdownAnnouncement.line(Optional.of(Duration.ofSeconds(15)), Optional.of(Duration.ofSeconds(60)), 3));
    }

    @Test
    void aPlainRunSaysItHasNoDrainDelay() {
        assertEquals("Shutting down: no drain delay (set QUARKUS_SHUTDOWN_DELAY behind a load balancer); up to 0.5 s "
                + "(quarkus.shutdown.timeout) for the requests in flight (1 request now)",
                ShutdownAnnouncement.line(Optional.empty(), Optional.of(Duration.ofMillis(500)), 1));
        // Dev mode: Quarkus applies neither.
        assertEquals("Shutting down: no drain delay (set QUARKUS_SHUTDOWN_DELAY behind a load balancer); requests in "
                + "flight are not waited for (no quarkus.shutdown.timeout; 0 requests now)",
                ShutdownAnnouncement.line(Optional.empty(), Optional.empty(), 0));
    }
}
