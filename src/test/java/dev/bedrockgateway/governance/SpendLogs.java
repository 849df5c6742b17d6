package dev.bedrockgateway.governance;

import java.time.Duration;

import dev.bedrockgateway.governance.store.GovernanceStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.core.Vertx;

/** Builds a {@link SpendLog} from tests of other packages (its constructor is package-private). */
public final class SpendLogs {

    private SpendLogs() {
    }

    public static Handle create(GovernanceStore store, boolean enabled, Vertx vertx, int capacity, Duration interval,
            Duration shutdownBound, MeterRegistry registry) {
        return new Handle(new SpendLog(store, enabled, vertx, capacity, interval, shutdownBound, registry));
    }

    /** The log and its package-private life cycle. */
    public record Handle(SpendLog log) {
        public void start() {
            log.start();
        }

        public void stop() {
            log.stop();
        }

        public void record(dev.bedrockgateway.governance.store.SpendRow row) {
            log.record(row);
        }

        public int buffered() {
            return log.buffered();
        }

        public io.smallrye.mutiny.Uni<Void> flush() {
            return log.flush();
        }
    }
}
