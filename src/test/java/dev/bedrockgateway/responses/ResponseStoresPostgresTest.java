package dev.bedrockgateway.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.governance.GovernanceProfile;
import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.GovernanceStores;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With a database, the {@link ResponseStore} injected is PostgreSQL's, on the schema the gateway migrated at start. */
@QuarkusTest
@TestProfile(GovernanceProfile.class)
@WithTestResource(BedrockStandIn.class)
@WithTestResource(GovernanceStores.class)
class ResponseStoresPostgresTest {

    @Inject
    ResponseStore store;

    @Test
    void withADatabaseResponsesAreKeptInPostgresql() {
        assertEquals("postgresql", store.kind());
        ResponseStoresTest.assertRoundTrip(store);
    }
}
