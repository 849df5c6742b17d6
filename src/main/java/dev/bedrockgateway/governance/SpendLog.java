package dev.bedrockgateway.governance;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.governance.store.GovernanceStore;
import dev.bedrockgateway.governance.store.SpendRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The spend log's way to the database: requests {@link #record} their row and go on; rows are written in batches
 * every {@code gateway.governance.spend-flush-interval}, off the request's path.
 *
 * <p>While the database cannot be reached, rows wait in memory, in order: a batch that failed goes back to the head of
 * the buffer and is written again on the next tick (the store ignores rows it already has, so a batch that timed out
 * but was committed is not counted twice). Past {@code gateway.governance.spend-buffer} rows the oldest are dropped,
 * counted in {@code gateway_spend_rows_dropped_total} and logged once per outage; {@code gateway_spend_rows_buffered}
 * tells how many wait. The rows of a batch being written are not counted against the bound until it fails, so memory
 * holds at most the bound plus one batch. At shutdown the buffer is flushed, within a bound.
 *
 * <p>Without a database there is nowhere to write: {@link #record} does nothing (spend is still counted by the
 * in-process budget counters, which are all there is then).
 */
@ApplicationScoped
public class SpendLog {

    private static final Logger LOG = Logger.getLogger(SpendLog.class);

    /** Rows written in one transaction at most. */
    static final int BATCH = 500;

    /** Outcome of one attempt to write a batch. */
    private enum Outcome {
        WROTE,
        EMPTY,
        BUSY
    }

    private final GovernanceStore store;
    private final Vertx vertx;
    private final boolean enabled;
    private final int capacity;
    private final Duration interval;
    private final Duration shutdownBound;
    private final Counter dropped;

    private final ArrayDeque<SpendRow> buffer = new ArrayDeque<>();
    private final Object lock = new Object();
    /** Whether a batch is being written (guarded by lock). */
    private boolean writing;
    /** Rows of the batch being written (guarded by lock). */
    private int inFlight;
    /** Whether this outage's dropped rows were logged already (guarded by lock). */
    private boolean dropLogged;
    /** Whether this outage's failed writes were logged already (guarded by lock). */
    private boolean failureLogged;
    private long timer = -1;

    @Inject
    SpendLog(GovernanceStore store, StoreUrls urls, Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        this(store, urls.database().isPresent(), vertx, config.governance().spendBuffer(),
                config.governance().spendFlushInterval(), config.governance().storeTimeout().multipliedBy(5), registry);
    }

    /**
     * @param enabled whether a database is configured; when not, rows are ignored
     * @param capacity rows kept at most while they cannot be written
     * @param interval pause between two flushes
     * @param shutdownBound how long the flush at shutdown may take
     */
    SpendLog(GovernanceStore store, boolean enabled, Vertx vertx, int capacity, Duration interval,
            Duration shutdownBound, MeterRegistry registry) {
        this.store = store;
        this.vertx = vertx;
        this.enabled = enabled;
        this.capacity = Math.max(1, capacity);
        this.interval = interval;
        this.shutdownBound = shutdownBound;
        this.dropped = Counter.builder("gateway.spend.rows.dropped")
                .description("Spend rows dropped because the buffer was full while the database was unreachable")
                .register(registry);
        Gauge.builder("gateway.spend.rows.buffered", this, SpendLog::buffered)
                .description("Spend rows waiting to be written to the database").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts the periodic flush. */
    void start() {
        if (enabled && timer < 0) {
            timer = vertx.setPeriodic(Math.max(1, interval.toMillis()), id -> drain(false).subscribe().with(
                    done -> {
                    }, this::flushFailed));
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Stops the periodic flush and writes what is buffered, waiting at most the shutdown bound. */
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (!enabled || buffered() == 0) {
            return;
        }
        try {
            flush().await().atMost(shutdownBound);
        } catch (RuntimeException e) {
            LOG.errorf("%d spend rows could not be written to the database before shutdown and are lost: %s",
                    buffered(), e.getMessage());
        }
    }

    /** Whether rows are kept at all (a database is configured). */
    public boolean enabled() {
        return enabled;
    }

    /** Queues {@code row} for the database; never blocks nor fails. Does nothing without a database. */
    public void record(SpendRow row) {
        if (!enabled) {
            return;
        }
        boolean logNow = false;
        synchronized (lock) {
            buffer.addLast(row);
            if (buffer.size() > capacity) {
                buffer.pollFirst();
                dropped.increment();
                logNow = !dropLogged;
                dropLogged = true;
            }
        }
        if (logNow) {
            LOG.warnf("Spend buffer full (%d rows) while the database cannot be written: the oldest rows are dropped"
                    + " and counted in gateway_spend_rows_dropped_total until it can", capacity);
        }
    }

    /** Rows waiting to be written, those of a batch being written included. */
    public int buffered() {
        synchronized (lock) {
            return buffer.size() + (writing ? inFlight : 0);
        }
    }

    /**
     * Writes every buffered row (waiting for a flush in progress first); fails when a batch cannot be written (its rows
     * stay buffered).
     */
    public Uni<Void> flush() {
        return drain(true);
    }

    /** Writes batches until the buffer is empty; {@code wait}: whether to wait for a flush in progress, else stop. */
    private Uni<Void> drain(boolean wait) {
        return Uni.createFrom().deferred(this::writeBatch)
                .flatMap(outcome -> outcome == Outcome.BUSY && wait
                        ? Uni.createFrom().item(outcome).onItem().delayIt().by(Duration.ofMillis(10))
                        : Uni.createFrom().item(outcome))
                .repeat().whilst(outcome -> outcome == Outcome.WROTE || (wait && outcome == Outcome.BUSY))
                .collect().last().replaceWithVoid();
    }

    private Uni<Outcome> writeBatch() {
        List<SpendRow> batch;
        synchronized (lock) {
            if (writing) {
                return Uni.createFrom().item(Outcome.BUSY);
            }
            if (buffer.isEmpty()) {
                return Uni.createFrom().item(Outcome.EMPTY);
            }
            batch = new ArrayList<>(Math.min(BATCH, buffer.size()));
            while (batch.size() < BATCH && !buffer.isEmpty()) {
                batch.add(buffer.pollFirst());
            }
            writing = true;
            inFlight = batch.size();
        }
        return store.writeSpend(batch).onItemOrFailure().transformToUni((ok, failure) -> {
            synchronized (lock) {
                writing = false;
                inFlight = 0;
                if (failure == null) {
                    dropLogged = false;
                    failureLogged = false;
                    return Uni.createFrom().item(Outcome.WROTE);
                }
                // Back to the head, in order; then the bound holds again by dropping the oldest.
                for (int i = batch.size() - 1; i >= 0; i--) {
                    buffer.addFirst(batch.get(i));
                }
                int over = buffer.size() - capacity;
                for (int i = 0; i < over; i++) {
                    buffer.pollFirst();
                }
                if (over > 0) {
                    dropped.increment(over);
                    if (!dropLogged) {
                        dropLogged = true;
                        LOG.warnf("Spend buffer full (%d rows) while the database cannot be written: the oldest rows"
                                + " are dropped and counted in gateway_spend_rows_dropped_total until it can", capacity);
                    }
                }
            }
            return Uni.createFrom().failure(failure);
        });
    }

    private void flushFailed(Throwable failure) {
        boolean logNow;
        synchronized (lock) {
            logNow = !failureLogged;
            failureLogged = true;
        }
        if (logNow) {
            LOG.warnf("Spend rows cannot be written to the database (%s); %d buffered, retried every %s",
                    failure.getMessage(), buffered(), interval);
        } else {
            LOG.debugf("Spend rows still cannot be written: %s", failure.getMessage());
        }
    }
}
