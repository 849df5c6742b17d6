package dev.bedrockgateway.health;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.bedrockgateway.observability.AccessLog;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.shutdown.ShutdownConfig;

/**
 * Says in one INFO line, when a shutdown begins (SIGTERM, Ctrl-C), what it will do: how long new requests are still
 * served while readiness is DOWN ({@code quarkus.shutdown.delay}), then how long requests in flight get to finish
 * ({@code quarkus.shutdown.timeout}; with none in flight the process stops at once). Without it a stop that waits
 * looks like a hang.
 *
 * <p>Quarkus fires {@link ShutdownDelayInitiatedEvent} at the very start of the shutdown, in its pre-shutdown phase,
 * before the delay, when {@code quarkus.shutdown.delay-enabled} was set at build time (it is), whether or not a delay
 * is set at run time. Its own {@link ShutdownConfig} says what applies: neither delay nor timeout in dev mode.
 */
@ApplicationScoped
public class ShutdownAnnouncement {

    private static final Logger LOG = Logger.getLogger(ShutdownAnnouncement.class);

    private final AccessLog requests;
    private final ShutdownConfig shutdown;

    public ShutdownAnnouncement(AccessLog requests, ShutdownConfig shutdown) {
        this.requests = requests;
        this.shutdown = shutdown;
    }

    void announce(@Observes ShutdownDelayInitiatedEvent event) {
        LOG.info(line(shutdown.isDelayEnabled() ? shutdown.delay() : Optional.empty(),
                shutdown.isTimeoutEnabled() ? shutdown.timeout() : Optional.empty(), requests.inFlight()));
    }

    static String line(Optional<Duration> delay, Optional<Duration> timeout, long inFlight) {
        String drain = delay.map(d -> "Shutting down: readiness is DOWN; new requests are still served for "
                + seconds(d) + " (quarkus.shutdown.delay) while the load balancer stops routing here, then ")
                .orElse("Shutting down: no drain delay (set QUARKUS_SHUTDOWN_DELAY behind a load balancer); ");
        String requests = inFlight == 1 ? "1 request" : inFlight + " requests";
        return drain + timeout.map(t -> "up to " + seconds(t) + " (quarkus.shutdown.timeout) for the requests in "
                + "flight (" + requests + " now)")
                .orElse("requests in flight are not waited for (no quarkus.shutdown.timeout; " + requests + " now)");
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }
}
