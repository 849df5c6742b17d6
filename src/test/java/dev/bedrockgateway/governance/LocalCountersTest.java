package dev.bedrockgateway.governance;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.governance.store.SharedCounters;

/** The in-process counters against the shared contract. */
class LocalCountersTest extends SharedCountersContract {

    private final LocalCounters counters = new LocalCounters();

    @Override
    protected SharedCounters counters() {
        return counters;
    }

    @Test
    void areNotShared() {
        assertFalse(counters.shared());
    }
}
