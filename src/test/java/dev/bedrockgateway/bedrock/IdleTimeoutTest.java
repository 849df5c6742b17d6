package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.vertx.core.Vertx;

/**
 * {@link IdleTimeout} on real Vert.x timers: silence fails the stream and cancels its source; items keep it alive, but
 * not past a deadline.
 */
class IdleTimeoutTest {

    private static final Duration IDLE = Duration.ofMillis(500);

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static final class Stalled extends RuntimeException {
    }

    static final class Late extends RuntimeException {
    }

    @Test
    void silenceFailsTheStreamAfterTheIdleTimeAndCancelsItsSource() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        UnicastProcessor<String> source = UnicastProcessor.create();
        Multi<String> watched = IdleTimeout.failWhenIdle(source.onCancellation().invoke(cancelled::countDown), IDLE,
                Stalled::new, vertx);

        long start = System.nanoTime();
        AssertSubscriber<String> client = watched.subscribe().withSubscriber(AssertSubscriber.create(10));
        source.onNext("first");
        client.awaitFailure(Duration.ofSeconds(5));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertInstanceOf(Stalled.class, client.getFailure());
        assertEquals(List.of("first"), client.getItems());
        assertTrue(millis >= IDLE.toMillis(), "failed after " + millis + " ms, before the idle time");
        assertTrue(cancelled.await(5, TimeUnit.SECONDS), "the source was not cancelled");
    }

    @Test
    void itemsCloserThanTheIdleTimeKeepAStreamLongerThanItAlive() throws Exception {
        UnicastProcessor<Integer> source = UnicastProcessor.create();
        AssertSubscriber<Integer> client = IdleTimeout.failWhenIdle(source, IDLE, Stalled::new, vertx)
                .subscribe().withSubscriber(AssertSubscriber.create(100));
        // Three times the idle time in all, an item every fifth of it.
        for (int i = 0; i < 15; i++) {
            Thread.sleep(IDLE.toMillis() / 5);
            source.onNext(i);
        }
        source.onComplete();

        client.awaitCompletion(Duration.ofSeconds(5));
        assertEquals(15, client.getItems().size());
    }

    @Test
    void aDeadlineEndsALivelyStreamAndCancelsItsSource() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        UnicastProcessor<Integer> source = UnicastProcessor.create();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(IDLE.toMillis() * 2);
        AssertSubscriber<Integer> client = IdleTimeout.failWhenIdleOrLate(
                source.onCancellation().invoke(cancelled::countDown), IDLE, Stalled::new, deadline, Late::new, vertx)
                .subscribe().withSubscriber(AssertSubscriber.create(100));
        // An item every fifth of the idle time, until the stream is over.
        for (int i = 0; i < 30 && client.getFailure() == null; i++) {
            Thread.sleep(IDLE.toMillis() / 5);
            source.onNext(i);
        }
        client.awaitFailure(Duration.ofSeconds(5));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertInstanceOf(Late.class, client.getFailure());
        assertTrue(millis >= IDLE.toMillis() * 2, "failed after " + millis + " ms, before the deadline");
        assertTrue(client.getItems().size() >= 5, "items before the deadline: " + client.getItems());
        assertTrue(cancelled.await(5, TimeUnit.SECONDS), "the source was not cancelled");
    }

    @Test
    void silenceBeforeTheDeadlineStillFailsAsSilence() throws Exception {
        UnicastProcessor<String> source = UnicastProcessor.create();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        AssertSubscriber<String> client = IdleTimeout.failWhenIdleOrLate(source, IDLE, Stalled::new, deadline,
                Late::new, vertx).subscribe().withSubscriber(AssertSubscriber.create(10));

        client.awaitFailure(Duration.ofSeconds(5));
        assertInstanceOf(Stalled.class, client.getFailure());
    }

    @Test
    void anEndedStreamIsNeverFailedLater() throws Exception {
        AssertSubscriber<String> completed = IdleTimeout.failWhenIdle(Multi.createFrom().items("a", "b"), IDLE,
                Stalled::new, vertx).subscribe().withSubscriber(AssertSubscriber.create(10));
        AtomicBoolean sourceCancelled = new AtomicBoolean();
        UnicastProcessor<String> source = UnicastProcessor.create();
        AssertSubscriber<String> leaving = IdleTimeout.failWhenIdle(
                source.onCancellation().invoke(() -> sourceCancelled.set(true)), IDLE, Stalled::new, vertx)
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        leaving.cancel();

        Thread.sleep(IDLE.toMillis() * 3);

        completed.assertCompleted().assertItems("a", "b");
        assertTrue(leaving.getFailure() == null, "a stream its client left was failed later");
        assertTrue(sourceCancelled.get(), "leaving did not cancel the source");
    }
}
