package dev.bedrockgateway.bedrock;

import java.util.concurrent.ScheduledExecutorService;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.impl.ContextInternal;

/**
 * Where a Mutiny timeout ({@code ifNoItem().after(...).on(...)}) is cheapest: the Vert.x event loop the caller runs
 * on. Mutiny's default scheduler keeps a cancelled timer queued, behind one lock shared by every request, until it
 * would have fired, and then hands it to a worker thread: every answered call leaves one behind for the length of its
 * timeout. Netty's event loop drops a timer cancelled on its own thread at once, from a queue of its own.
 */
public final class LoopScheduler {

    private LoopScheduler() {
    }

    /** The event loop of the calling thread's Vert.x context; outside one, Mutiny's default scheduler. */
    public static ScheduledExecutorService current() {
        ContextInternal context = ContextInternal.current();
        return context != null && context.isEventLoopContext() ? context.nettyEventLoop()
                : Infrastructure.getDefaultWorkerPool();
    }
}
