package dev.bedrockgateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@link AnswerWriter.Frames} on a real Vert.x server and a raw socket, so that each write the gateway makes is
 * visible as one HTTP chunk: frames that are ready together go out in one write, and a client that does not read
 * holds the stream back instead of the gateway buffering it.
 */
class AnswerFramesTest {

    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Serves every request with the given frames through Frames, on the connection's own context. */
    private int serve(Function<HttpServerResponse, Multi<Buffer>> frames, HttpServerOptions options) throws Exception {
        server = vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0)).requestHandler(request -> {
            HttpServerResponse response = request.response().setChunked(true);
            var context = vertx.getOrCreateContext();
            frames.apply(response).subscribe().withSubscriber(new AnswerWriter.Frames(response,
                    task -> context.runOnContext(v -> task.run()),
                    ended -> response.endHandler(v -> ended.handle(Future.succeededFuture())), () -> {
                    }));
        });
        return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @Test
    void framesReadyTogetherLeaveInOneWriteWithTheEnd() throws Exception {
        List<String> frames = List.of("data: {\"role\":\"assistant\"}\n\n", "data: {\"content\":\"Hel\"}\n\n",
                "data: {\"content\":\"lo\"}\n\n", "data: [DONE]\n\n");
        // All four are there at once, as when Bedrock's events arrive in one packet; they are handed over on the event
        // loop itself, so no write can run in between.
        int port = serve(response -> Multi.createFrom().iterable(frames).map(Buffer::buffer), new HttpServerOptions());

        List<String> chunks = httpChunks(port);

        assertEquals(List.of(String.join("", frames)), chunks,
                "one HTTP chunk (one write) carrying every frame, in order, then the end");
    }

    @Test
    void theHeadLeavesAtTheFirstEventEvenWhenItCarriesNothingAndLaterEmptyEventsSendNothing() throws Exception {
        AtomicReference<UnicastProcessor<Buffer>> events = new AtomicReference<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        int port = serve(response -> {
            UnicastProcessor<Buffer> stream = UnicastProcessor.create();
            events.set(stream);
            subscribed.countDown();
            return stream;
        }, new HttpServerOptions());

        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(request());
            assertTrue(subscribed.await(10, TimeUnit.SECONDS));
            // Bedrock's messageStart: nothing to send but the answer has started.
            events.get().onNext(Buffer.buffer());
            String head = readHead(socket.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            // Events that become nothing (contentBlockStop, metadata) send nothing: no chunk, and above all no empty
            // chunk, which would end the body.
            events.get().onNext(Buffer.buffer());
            events.get().onNext(Buffer.buffer("data: {\"content\":\"Hi\"}\n\n"));
            events.get().onNext(Buffer.buffer());
            events.get().onNext(Buffer.buffer("data: [DONE]\n\n"));
            events.get().onComplete();
            String body = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
            assertEquals("data: {\"content\":\"Hi\"}\n\ndata: [DONE]\n\n", joinChunks(body), body);
        }
    }

    @Test
    void anEmptyFirstFrameReadyWithTheContentLeavesInTheSameWrite() throws Exception {
        List<String> frames = List.of("", "data: {\"content\":\"Hel\"}\n\n", "", "data: [DONE]\n\n");
        int port = serve(response -> Multi.createFrom().iterable(frames).map(Buffer::buffer), new HttpServerOptions());

        assertEquals(List.of(String.join("", frames)), httpChunks(port));
    }

    @Test
    void aClientThatDoesNotReadHoldsTheStreamBackAndStillGetsAllOfItInOrder() throws Exception {
        int total = 4_000;
        String filler = "x".repeat(1_000);
        AtomicInteger produced = new AtomicInteger();
        // Small socket buffers on both sides, so that what the gateway may hold is visible against them.
        int port = serve(response -> Multi.createFrom().range(0, total)
                .map(i -> Buffer.buffer("data: <" + i + ">" + filler + "\n\n"))
                .onItem().invoke(produced::incrementAndGet), new HttpServerOptions().setSendBufferSize(16 * 1024));

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.setSoTimeout(20_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(request());
            Thread.sleep(1_500);
            int held = produced.get();
            // Unread: the two sockets' buffers (the kernel may double and round them) and the writer's 64 KB mark.
            assertTrue(held * 1_010 < 64 * 1024 + 4 * 64 * 1024,
                    held + " frames of 1 KB produced for a client that reads nothing");
            String body = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
            int at = 0;
            for (int i = 0; i < total; i++) {
                int next = body.indexOf("<" + i + ">", at);
                assertTrue(next > at, "frame " + i + " missing or out of order");
                at = next;
            }
            assertEquals(total, produced.get());
        }
    }

    private static byte[] request() {
        return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** The HTTP chunks of one chunked response, as sent (not joined). */
    private static List<String> httpChunks(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(request());
            String raw = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
            int body = raw.indexOf("\r\n\r\n");
            assertTrue(raw.startsWith("HTTP/1.1 200") && body > 0, raw);
            assertTrue(raw.substring(0, body).toLowerCase().contains("transfer-encoding: chunked"), raw);
            List<String> chunks = new ArrayList<>();
            int at = body + 4;
            while (true) {
                int lineEnd = raw.indexOf("\r\n", at);
                int size = Integer.parseInt(raw.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    return chunks;
                }
                chunks.add(raw.substring(lineEnd + 2, lineEnd + 2 + size));
                at = lineEnd + 2 + size + 2;
            }
        }
    }

    /** The status line and headers, read byte by byte so that nothing after them is consumed. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the connection ended inside the head: " + head);
            head.append((char) b);
        }
        return head.toString();
    }

    /** A chunked body's chunks joined (the body read after the head). */
    private static String joinChunks(String body) {
        StringBuilder joined = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return joined.toString();
            }
            joined.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /** Everything up to the end of a chunked body ({@code 0\r\n\r\n}). */
    private static byte[] readAll(InputStream in) throws IOException {
        byte[] last = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        while (!Arrays.equals(tail(out, last.length), last)) {
            int n = in.read(buffer);
            assertTrue(n > 0, "the response ended early: " + out.size() + " bytes");
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] tail(ByteArrayOutputStream out, int length) {
        byte[] all = out.toByteArray();
        return all.length < length ? new byte[0] : Arrays.copyOfRange(all, all.length - length, all.length);
    }
}
