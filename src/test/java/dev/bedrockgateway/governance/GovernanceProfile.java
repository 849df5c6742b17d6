package dev.bedrockgateway.governance;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A gateway with virtual keys: real PostgreSQL and Redis (testing.GovernanceStores), exact prices. */
public class GovernanceProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gateway.config-file", "src/test/resources/catalogs/governance.yaml",
                "gateway.governance.spend-flush-interval", "100ms");
    }
}
