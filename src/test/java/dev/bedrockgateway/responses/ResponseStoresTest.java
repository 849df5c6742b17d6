package dev.bedrockgateway.responses;

import static dev.bedrockgateway.responses.ResponseStoreContract.await;
import static dev.bedrockgateway.responses.ResponseStoreContract.response;
import static dev.bedrockgateway.responses.ResponseStoreContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Without a database, the {@link ResponseStore} injected is this process's memory. */
@QuarkusTest
class ResponseStoresTest {

    @Inject
    ResponseStore store;

    @Test
    void withoutADatabaseResponsesAreKeptInMemory() {
        assertEquals("memory", store.kind());
        assertRoundTrip(store);
    }

    /** Saves a response through {@code store} and finds it again. */
    static void assertRoundTrip(ResponseStore store) {
        String id = "resp_" + System.nanoTime();
        await(store.save(response(id, "key-a", "{}")));
        assertEquals("{}", text(await(store.find(id, "key-a")).orElseThrow()));
    }
}
