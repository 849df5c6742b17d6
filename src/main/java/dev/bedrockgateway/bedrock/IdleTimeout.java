package dev.bedrockgateway.bedrock;

import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.AbstractMulti;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.smallrye.mutiny.subscription.SerializedSubscriber;
import io.vertx.core.Vertx;

/**
 * Fails a stream that has had no item for {@code idle} (counted from the subscription, then from each item), and
 * cancels its upstream: what Mutiny's {@code ifNoItem().after(idle)} does, without its cost per item. Mutiny's
 * operator cancels a timer and schedules another on its shared scheduler for every item, and that scheduler keeps
 * each cancelled timer queued (behind one lock, for all streams) until it would have fired, then hands it to a
 * worker thread: with a 60 s timeout, every event of the last minute. Here an item only notes the time, and one
 * Vert.x timer per stream looks when the time is up, re-arming itself for the rest if an item came meanwhile.
 * Optionally, the same timer also ends the stream at a deadline however lively it is (a whole call's time limit).
 */
public final class IdleTimeout<E> extends AbstractMulti<E> {

    private final Multi<E> upstream;
    private final long idleNanos;
    private final Supplier<? extends Throwable> failure;
    private final Vertx vertx;
    /** {@link System#nanoTime()} at which the stream fails with {@link #late} however lively; 0 for none. */
    private final long deadline;
    private final Supplier<? extends Throwable> late;

    private IdleTimeout(Multi<E> upstream, Duration idle, Supplier<? extends Throwable> failure, long deadline,
            Supplier<? extends Throwable> late, Vertx vertx) {
        this.upstream = upstream;
        this.idleNanos = idle.toNanos();
        this.failure = failure;
        this.deadline = deadline;
        this.late = late;
        this.vertx = vertx;
    }

    /** {@code stream}, failed with {@code failure}'s exception after {@code idle} without an item. */
    public static <E> Multi<E> failWhenIdle(Multi<E> stream, Duration idle, Supplier<? extends Throwable> failure,
            Vertx vertx) {
        return new IdleTimeout<>(stream, idle, failure, 0, null, vertx);
    }

    /**
     * The same, and failed with {@code late}'s exception once {@link System#nanoTime()} reaches {@code deadline}
     * (not 0), whatever the items.
     */
    public static <E> Multi<E> failWhenIdleOrLate(Multi<E> stream, Duration idle,
            Supplier<? extends Throwable> failure, long deadline, Supplier<? extends Throwable> late, Vertx vertx) {
        return new IdleTimeout<>(stream, idle, failure, deadline, late, vertx);
    }

    @Override
    public void subscribe(MultiSubscriber<? super E> downstream) {
        upstream.subscribe().withSubscriber(new Watch<>(this, downstream));
    }

    private static final class Watch<E> implements MultiSubscriber<E>, Flow.Subscription {

        private final IdleTimeout<E> timeout;
        /** The timer's failure may race an item or the end: the downstream sees them one at a time. */
        private final SerializedSubscriber<E> downstream;
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile Flow.Subscription upstream;
        private volatile long lastItem;
        private volatile long timer;

        Watch(IdleTimeout<E> timeout, MultiSubscriber<? super E> downstream) {
            this.timeout = timeout;
            this.downstream = new SerializedSubscriber<>(downstream);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            lastItem = System.nanoTime();
            arm(wait(lastItem, timeout.idleNanos));
            downstream.onSubscribe(this);
        }

        @Override
        public void onItem(E item) {
            lastItem = System.nanoTime();
            downstream.onItem(item);
        }

        @Override
        public void onFailure(Throwable failure) {
            if (end()) {
                downstream.onFailure(failure);
            }
        }

        @Override
        public void onCompletion() {
            if (end()) {
                downstream.onCompletion();
            }
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            end();
            upstream.cancel();
        }

        /** The first end wins and stops the timer (one re-armed meanwhile finds the stream over and does nothing). */
        private boolean end() {
            if (!over.compareAndSet(false, true)) {
                return false;
            }
            timeout.vertx.cancelTimer(timer);
            return true;
        }

        /** How long to wait from {@code now} when {@code idle} is left of the idle time: to the deadline if sooner. */
        private long wait(long now, long idle) {
            return timeout.deadline == 0 ? idle : Math.min(idle, timeout.deadline - now);
        }

        private void arm(long nanos) {
            timer = timeout.vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)), id -> check());
        }

        private void check() {
            if (over.get()) {
                return;
            }
            long now = System.nanoTime();
            boolean late = timeout.deadline != 0 && now - timeout.deadline >= 0;
            long quiet = now - lastItem;
            if (!late && quiet < timeout.idleNanos) {
                arm(wait(now, timeout.idleNanos - quiet));
                return;
            }
            if (over.compareAndSet(false, true)) {
                upstream.cancel();
                downstream.onFailure(late ? timeout.late.get() : timeout.failure.get());
            }
        }
    }
}
