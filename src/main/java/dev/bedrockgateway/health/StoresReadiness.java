package dev.bedrockgateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.bedrockgateway.governance.Counters;
import dev.bedrockgateway.governance.SpendLog;
import dev.bedrockgateway.governance.postgres.Database;

/**
 * The governance stores' state, as details of an UP check: a replica whose PostgreSQL or Redis is unreachable keeps
 * serving (cached keys, per-replica limits, buffered spend rows; docs/governance.md), so taking it out of the load
 * balancer would only turn a degraded service into none.
 */
@Readiness
@ApplicationScoped
public class StoresReadiness implements HealthCheck {

    private final Database database;
    private final Counters counters;
    private final SpendLog spendLog;

    public StoresReadiness(Database database, Counters counters, SpendLog spendLog) {
        this.database = database;
        this.counters = counters;
        this.spendLog = spendLog;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("governance-stores").up()
                .withData("database", database.state())
                .withData("redis", counters.redisState())
                .withData("spend_rows_buffered", spendLog.buffered())
                .build();
    }
}
