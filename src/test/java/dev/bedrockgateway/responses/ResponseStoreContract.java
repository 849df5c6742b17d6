package dev.bedrockgateway.responses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/**
 * What every {@link ResponseStore} must do, in memory or in PostgreSQL: give a response back byte for byte to the key
 * that made it and to nobody else, replace it when it is saved again, forget it once deleted.
 */
abstract class ResponseStoreContract {

    /** The store under test, empty at the start of each test. */
    abstract ResponseStore store();

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }

    static StoredResponse response(String id, String owner, String text) {
        return new StoredResponse(id, owner, 1_750_000_000L, text.getBytes(StandardCharsets.UTF_8),
                "[]".getBytes(StandardCharsets.UTF_8), "[]".getBytes(StandardCharsets.UTF_8));
    }

    static String text(StoredResponse response) {
        return new String(response.response(), StandardCharsets.UTF_8);
    }

    @Test
    void aResponseComesBackByteForByteToItsOwnerUntilDeleted() {
        // Not JSON a database would keep as it is: key order, spacing, an escaped NUL, and bytes that are not UTF-8.
        byte[] response = "{\"b\": 1,   \"a\": \"\\u0000\"}".getBytes(StandardCharsets.UTF_8);
        byte[] items = {'[', (byte) 0xff, 0, (byte) 0xc3, ']'};
        byte[] context = new byte[0];
        await(store().save(new StoredResponse("resp_1", "key-a", 1_750_000_123L, response, items, context)));

        StoredResponse found = await(store().find("resp_1", "key-a")).orElseThrow();
        assertEquals("resp_1", found.id());
        assertEquals("key-a", found.owner());
        assertEquals(1_750_000_123L, found.createdAt());
        assertArrayEquals(response, found.response());
        assertArrayEquals(items, found.inputItems());
        assertArrayEquals(context, found.context());

        assertEquals(Optional.empty(), await(store().find("resp_2", "key-a")));
        assertTrue(await(store().delete("resp_1", "key-a")));
        assertEquals(Optional.empty(), await(store().find("resp_1", "key-a")));
        assertFalse(await(store().delete("resp_1", "key-a")));
    }

    @Test
    void anotherOwnerNeitherSeesNorDeletesNorOverwritesIt() {
        await(store().save(response("resp_1", "key-a", "first")));
        assertEquals(Optional.empty(), await(store().find("resp_1", "key-b")));
        assertFalse(await(store().delete("resp_1", "key-b")));
        assertThrows(IllegalStateException.class, () -> await(store().save(response("resp_1", "key-b", "theirs"))));
        assertEquals("first", text(await(store().find("resp_1", "key-a")).orElseThrow()));

        await(store().save(response("resp_1", "key-a", "second")));
        assertEquals("second", text(await(store().find("resp_1", "key-a")).orElseThrow()), "saving again replaces");
    }
}
