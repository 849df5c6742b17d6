package dev.bedrockgateway.api;

import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.EncodedMediaType;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;
import org.jboss.resteasy.reactive.server.vertx.VertxResteasyReactiveRequestContext;

import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Sends an {@link Answer}: a JSON answer in one write with its {@code Content-Length}; an SSE answer frame by frame
 * as Bedrock's events arrive, straight to the Vert.x response, asking for the next frame only while less than 64 KB
 * of written frames have yet to reach the socket. Frames that arrive while the connection's event loop has not yet
 * taken the previous ones (the first answer frames, a burst of events in one packet, the last delta with the finish
 * and {@code [DONE]}) leave in one write, never later than alone would. The same pattern as RESTEasy's own writer for
 * Vert.x files: the request is suspended while the frames go out and resumed once the answer ended.
 *
 * <p>A streamed answer is committed by Bedrock's first event (before it, a failure is an ordinary HTTP error), and
 * its head (status and headers) leaves then: an empty frame, which a surface sends for an event that became nothing
 * to send (ConverseStream's {@code messageStart}), sends the head alone if it is the answer's first, and nothing
 * otherwise. So a client knows the answer started without waiting for the model's first token.
 *
 * <p>RESTEasy's streaming of a {@code Multi} would look a body writer up for every frame and copy each frame three
 * times on its way to Vert.x (the Buffer's bytes, a growing output stream, its array); here a frame is written as it
 * was built.
 */
@Provider
@Produces(MediaType.WILDCARD)
public class AnswerWriter implements ServerMessageBodyWriter<Answer> {

    private static final Logger LOG = Logger.getLogger(AnswerWriter.class);

    /** Frames written but not yet handed to the socket beyond which the next frame waits (Netty's own mark). */
    static final int MAX_UNSENT_BYTES = 64 * 1024;

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
            MediaType mediaType) {
        return Answer.class.isAssignableFrom(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Answer.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(Answer answer, Type genericType, ServerRequestContext context) {
        ResteasyReactiveRequestContext request = (ResteasyReactiveRequestContext) context;
        ServerHttpResponse response = context.serverResponse();
        // Exactly OpenAI's media type. RESTEasy writes the status, and the media type it negotiated unless there is
        // none, when the first bytes leave; its own would be the Accept header's pick, with a charset added.
        request.setResponseContentType((EncodedMediaType) null);
        response.setResponseHeader(HttpHeaders.CONTENT_TYPE, answer.contentType());
        answer.headers().forEach(response::setResponseHeader);
        if (answer.document() != null) {
            response.end(answer.document());
            return;
        }
        request.suspend();
        response.setChunked(true);
        VertxResteasyReactiveRequestContext vertx = (VertxResteasyReactiveRequestContext) request;
        RoutingContext exchange = vertx.getContext();
        // Ends are watched with an end handler, not the response's single close handler, which Vert.x Web's own end
        // handlers, and so the access line, rely on.
        answer.frames().subscribe().withSubscriber(new Frames(exchange.response(), vertx.getContextExecutor(),
                exchange::addEndHandler, request::resume));
    }

    @Override
    public void writeTo(Answer answer, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) {
        // Only called through writer interceptors, which the gateway has none of.
        throw new UnsupportedOperationException("An Answer is written by writeResponse");
    }

    /**
     * Hands each frame to the connection's event loop as it arrives and asks for the next one while less than
     * {@link #MAX_UNSENT_BYTES} of handed frames wait for the socket (else when a write completes); ends the response
     * after the last frame; cancels the Bedrock stream when the client goes away. Frames arrive on the Bedrock
     * client's thread (with the default Vert.x client, the connection's own event loop; with the Netty client,
     * another thread); the event loop writes everything handed to it since its last turn in one write (and the last
     * frames together with the response's end), so a burst costs one task, one write and one packet, not one each per
     * frame. The bytes are counted here: Vert.x's {@code writeQueueFull()}, asked from another thread, does not see
     * the frames still on their way to that loop.
     */
    static final class Frames implements MultiSubscriber<Buffer> {

        private final HttpServerResponse response;
        /** Runs on the connection's event loop, in order. */
        private final Executor loop;
        /** Registers what to do when the exchange ends: failed when the connection closed before the answer ended. */
        private final Consumer<Handler<AsyncResult<Void>>> onEnd;
        /** Resumes the suspended request once the answer ended. */
        private final Runnable resume;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final AtomicBoolean waiting = new AtomicBoolean();
        private final AtomicLong unsent = new AtomicLong();
        private volatile Flow.Subscription subscription;
        /** Whether a frame, or the head alone, was handed to the event loop; only touched in onItem. */
        private boolean headSent;

        // Guarded by this: frames handed over since the event loop last wrote, and whether it has a write to run.
        private Buffer batch;
        private boolean batchIsOwn;
        private boolean ending;
        private boolean scheduled;

        Frames(HttpServerResponse response, Executor loop, Consumer<Handler<AsyncResult<Void>>> onEnd,
                Runnable resume) {
            this.response = response;
            this.loop = loop;
            this.onEnd = onEnd;
            this.resume = resume;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            onEnd.accept(ended -> {
                if (ended.failed()) {
                    abandon();
                } else {
                    finish();
                }
            });
            s.request(1);
        }

        @Override
        public void onItem(Buffer frame) {
            if (!open()) {
                abandon();
                return;
            }
            if (frame.length() == 0) {
                // An event that became nothing to send. The first (Bedrock's messageStart, which committed the
                // answer) sends the response's head at once; the others send nothing.
                if (!headSent) {
                    headSent = true;
                    hand(frame, false);
                }
                subscription.request(1);
                return;
            }
            headSent = true;
            unsent.addAndGet(frame.length());
            hand(frame, false);
            if (unsent.get() < MAX_UNSENT_BYTES) {
                subscription.request(1);
                return;
            }
            // A write completing between the check and here must not be missed: wait, then look again.
            waiting.set(true);
            if (unsent.get() < MAX_UNSENT_BYTES) {
                askIfWaiting();
            }
        }

        /** Adds a frame (or the end) to what the event loop writes next, and has it run unless it already will. */
        private void hand(Buffer frame, boolean end) {
            boolean schedule;
            synchronized (this) {
                if (frame != null) {
                    if (batch == null || batch.length() == 0) {
                        batch = frame;
                    } else {
                        if (!batchIsOwn) {  // the frames are the stream's; the batch copies them instead
                            batch = Buffer.buffer(batch.length() + frame.length() + 512).appendBuffer(batch);
                            batchIsOwn = true;
                        }
                        batch.appendBuffer(frame);
                    }
                }
                ending |= end;
                schedule = !scheduled;
                scheduled = true;
            }
            if (schedule) {
                loop.execute(this::write);
            }
        }

        /** On the event loop: writes what was handed over since the last turn, and ends the response if asked. */
        private void write() {
            Buffer frames;
            boolean end;
            synchronized (this) {
                frames = batch;
                end = ending;
                batch = null;
                batchIsOwn = false;
                scheduled = false;
            }
            if (!open()) {
                // The client left: the end handler cancels the stream; an end asked for meanwhile has nobody to reach.
                if (end) {
                    finish();
                }
                return;
            }
            try {
                if (end) {
                    if (frames == null) {
                        response.end();
                    } else {
                        response.end(frames);
                    }
                    finish();
                } else if (frames != null && frames.length() == 0) {
                    response.write(frames);  // the head alone
                } else if (frames != null) {
                    int size = frames.length();
                    response.write(frames, written -> {
                        if (unsent.addAndGet(-size) < MAX_UNSENT_BYTES) {
                            askIfWaiting();
                        }
                    });
                }
            } catch (IllegalStateException closedMeanwhile) {
                abandon();
            }
        }

        /** Asks for the next frame once per wait, whichever thread sees the room first. */
        private void askIfWaiting() {
            if (waiting.compareAndSet(true, false)) {
                subscription.request(1);
            }
        }

        @Override
        public void onCompletion() {
            hand(null, true);
        }

        @Override
        public void onFailure(Throwable failure) {
            // Sse.frames turns a failed stream into an error frame and completes; anything that still fails here
            // can no longer be told to the client in the stream, so the exchange is cut rather than ended as if whole
            // (on the event loop, after the frames already handed to it).
            LOG.debugf(failure, "SSE answer failed after it started");
            loop.execute(() -> {
                if (open()) {
                    response.reset();
                }
                finish();
            });
        }

        /** Neither ended by us nor closed by the client. */
        private boolean open() {
            return !response.closed() && !response.ended();
        }

        /** The client is gone: the Bedrock stream is cancelled and the request ends. */
        private void abandon() {
            subscription.cancel();
            finish();
        }

        private void finish() {
            if (finished.compareAndSet(false, true)) {
                resume.run();
            }
        }
    }
}
