package dev.bedrockgateway.governance.redis;

import java.util.concurrent.atomic.AtomicReference;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * One Redis connection for all the counters' commands, pipelined: each command is written at once, whatever is
 * still waiting for its answer, and the answers come back in order. Taking a pooled connection per command (the
 * pooled client's {@code send}) cost the gateway about 50 µs of CPU per command and queued requests behind the pool
 * under load (docs/performance/investigations.md, "Virtual keys"); Redis runs commands one at a time anyway.
 * A connection that fails or closes (Redis restarted) is dropped, and the next command opens another; commands are
 * bounded by the caller's timeout.
 */
final class PipelinedConnection {

    private final Redis client;
    private final AtomicReference<Uni<RedisConnection>> current = new AtomicReference<>();

    PipelinedConnection(Redis client) {
        this.client = client;
    }

    Uni<Response> send(Request request) {
        return connection().chain(connection -> connection.send(request)
                .onFailure().invoke(failure -> {
                    if (!(failure instanceof ErrorType)) { // an error answer (NOSCRIPT ...) leaves the connection fine
                        drop(connection);
                    }
                }));
    }

    private Uni<RedisConnection> connection() {
        Uni<RedisConnection> open = current.get();
        if (open != null) {
            return open;
        }
        @SuppressWarnings("unchecked")
        Uni<RedisConnection>[] self = new Uni[1];
        self[0] = client.connect()
                .invoke(connection -> {
                    connection.exceptionHandler(failure -> current.compareAndSet(self[0], null));
                    connection.endHandler(() -> current.compareAndSet(self[0], null));
                })
                .onFailure().invoke(failure -> current.compareAndSet(self[0], null))
                .memoize().indefinitely();
        return current.compareAndSet(null, self[0]) ? self[0] : connection();
    }

    /** Forgets {@code connection} (if still the current one) and closes it. */
    private void drop(RedisConnection connection) {
        Uni<RedisConnection> open = current.get();
        if (open != null) {
            open.subscribe().with(c -> {
                if (c == connection) {
                    current.compareAndSet(open, null);
                    c.close().subscribe().with(ok -> { }, ignored -> { });
                }
            }, ignored -> { });
        }
    }

    void close() {
        Uni<RedisConnection> open = current.getAndSet(null);
        if (open != null) {
            open.subscribe().with(c -> c.close().subscribe().with(ok -> { }, ignored -> { }), ignored -> { });
        }
    }
}
