package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoop;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;

/** A Mutiny timeout on {@link LoopScheduler#current()} fires on the caller's own event loop, as it would elsewhere. */
class LoopSchedulerTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void onAnEventLoopTheTimeoutRunsOnThatLoop() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        CompletableFuture<Boolean> onTheSameLoop = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            var scheduler = LoopScheduler.current();
            assertInstanceOf(EventLoop.class, scheduler);
            Uni.createFrom().nothing().ifNoItem().after(Duration.ofMillis(100)).on(scheduler).fail()
                    .subscribe().with(item -> failure.complete(null), f -> {
                        onTheSameLoop.complete(((EventLoop) scheduler).inEventLoop());
                        failure.complete(f);
                    });
        });
        assertInstanceOf(TimeoutException.class, failure.get(5, TimeUnit.SECONDS));
        assertTrue(onTheSameLoop.get(5, TimeUnit.SECONDS), "the timeout fired on another thread");
    }

    @Test
    void offAnEventLoopItIsMutinysOwnScheduler() {
        assertSame(Infrastructure.getDefaultWorkerPool(), LoopScheduler.current());
    }
}
