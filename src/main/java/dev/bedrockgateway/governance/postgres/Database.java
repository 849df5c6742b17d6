package dev.bedrockgateway.governance.postgres;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jboss.logging.Logger;
import org.postgresql.ds.PGSimpleDataSource;

import dev.bedrockgateway.bedrock.LoopScheduler;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.config.StartupRefusal;
import dev.bedrockgateway.governance.StoreUrls;
import dev.bedrockgateway.governance.store.GovernanceStore.Conflict;
import dev.bedrockgateway.governance.store.GovernanceStore.StoreUnavailable;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.PoolOptions;

/**
 * The PostgreSQL database of the governance stores, when {@code gateway.database-url} is set: migrates its schema
 * (Flyway, over JDBC, at start) and holds the reactive connection pool every store call goes through.
 *
 * <p>An unreachable database does not stop the gateway: start-up logs a warning naming the server (never the password)
 * and migration is retried in the background every {@link #RETRY_INTERVAL} on a worker thread, while {@link #state()}
 * says why it is down and {@link #pool()} stays empty, so store calls ({@link #call}) fail fast with
 * {@code GovernanceStore.StoreUnavailable}.
 */
@ApplicationScoped
public class Database {

    private static final Logger LOG = Logger.getLogger(Database.class);

    /** How long after a failed migration it is tried again. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

    /** Connections to PostgreSQL at most: store calls are short and off the hot path. */
    private static final int MAX_POOL_SIZE = 8;

    /** Read timeout of the migration's JDBC connection: a migration may take a while, a dead server must not hang it. */
    private static final int MIGRATION_SOCKET_TIMEOUT_SECONDS = 60;

    private final Vertx vertx;
    private final Optional<Target> target;
    private final Duration timeout;
    private final Duration retryInterval;

    private volatile String state;
    private volatile Pool pool;
    private volatile boolean closed;
    private volatile long retryTimer = -1;

    @Inject
    Database(Vertx vertx, StoreUrls urls, GatewayConfig config) {
        this(vertx, config.governance().storeTimeout(), RETRY_INTERVAL, checked(urls.database()));
    }

    /**
     * The URL parsed once (its sslrootcert read once): one that does not parse, or an sslrootcert that cannot be read,
     * stops the start ({@link StartupRefusal}).
     */
    private static Optional<Target> checked(Optional<String> url) {
        try {
            return url.map(Target::parse);
        } catch (IllegalArgumentException e) {
            throw StartupRefusal.refuse(LOG, List.of(e.getMessage()), "the database URL cannot be used");
        }
    }

    /**
     * @param url LiteLLM's form, {@code postgresql://user:password@host:5432/db?sslmode=require}, or empty for none
     * @param timeout bound of connecting (and of each store call, enforced by the stores)
     * @param retryInterval pause between two migration attempts while the database cannot be reached
     */
    Database(Vertx vertx, Optional<String> url, Duration timeout, Duration retryInterval) {
        this(vertx, timeout, retryInterval, url.map(Target::parse));
    }

    private Database(Vertx vertx, Duration timeout, Duration retryInterval, Optional<Target> target) {
        this.vertx = vertx;
        this.target = target;
        this.timeout = timeout;
        this.retryInterval = retryInterval;
        this.state = target.isPresent() ? "migrating" : "not configured";
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /**
     * Migrates the schema once on the calling thread (start-up, so that a reachable database is ready before the first
     * request), or on a worker thread when called on an event loop; when that fails, retries in the background.
     */
    void start() {
        if (target.isEmpty()) {
            LOG.info("No database configured (gateway.database-url): virtual keys, teams and spend logs are off");
            return;
        }
        if (Context.isOnEventLoopThread()) {
            scheduleMigration(Duration.ZERO);
        } else {
            migrate();
        }
    }

    /** Whether a database URL is configured at all. */
    public boolean configured() {
        return target.isPresent();
    }

    /**
     * {@code up}, {@code down: <reason>}, {@code migrating} or {@code not configured}. {@code up} means migrated and
     * its pool created; whether the server answers right now is for each call (or a health check) to find out.
     */
    public String state() {
        return state;
    }

    /** The connection pool, present once the schema is migrated; store calls fail while it is empty. */
    public Optional<Pool> pool() {
        return Optional.ofNullable(pool);
    }

    /** Bound of one store call. */
    public Duration timeout() {
        return timeout;
    }

    /** {@code host:port/database}, for messages: never the user or password. */
    public String describe() {
        return target.map(Target::describe).orElse("no database");
    }

    /**
     * Runs {@code work} on a connection of the pool within {@link #timeout()}, translating failures:
     * {@link StoreUnavailable} when the database is not configured, not migrated, unreachable, did not answer in time
     * or refused for want of resources; {@link Conflict} for a unique value; any other failure (a mistake of ours, not
     * an outage) as it is or as an {@link IllegalStateException} naming its SQLSTATE. A call that timed out may still
     * complete on the server.
     *
     * @param what the call, for messages ({@code find key})
     */
    public <T> Uni<T> call(String what, Function<SqlConnection, Uni<T>> work) {
        Pool p = pool;
        if (p == null) {
            String why = configured() ? "database " + describe() + " is " + state : "no database configured";
            return Uni.createFrom().failure(new StoreUnavailable(why, null));
        }
        // Through a connection of our own rather than Pool.query: the pool's query path leaves its connection-timeout
        // timer running when connecting fails, which then logs an IllegalStateException on every call during an
        // outage (https://github.com/eclipse-vertx/vertx-sql-client/issues/1706).
        return p.withConnection(work::apply)
                .ifNoItem().after(timeout).on(LoopScheduler.current())
                .failWith(() -> new StoreUnavailable(what + ": database " + describe() + " did not answer within "
                        + timeout, null))
                .onFailure().transform(e -> translate(what, e));
    }

    private Throwable translate(String what, Throwable e) {
        if (e instanceof StoreUnavailable || e instanceof Conflict) {
            return e;
        }
        if (e instanceof PgException pg) {
            String sqlState = pg.getSqlState() == null ? "" : pg.getSqlState();
            if (sqlState.equals("23505")) {
                return new Conflict(pg.getDetail() != null ? pg.getDetail() : pg.getErrorMessage());
            }
            // Connection (08), serialization or deadlock (40), no resources (53), shut down (57), system (58),
            // schema missing (42P01): the store is not usable now. Anything else is a mistake of ours, not an outage.
            if (sqlState.startsWith("08") || sqlState.startsWith("40") || sqlState.startsWith("53")
                    || sqlState.startsWith("57") || sqlState.startsWith("58") || sqlState.equals("42P01")) {
                return new StoreUnavailable(what + ": " + pg.getErrorMessage(), pg);
            }
            return new IllegalStateException(what + ": " + pg.getErrorMessage() + " (SQLSTATE " + sqlState + ")", pg);
        }
        if (e instanceof IllegalArgumentException || e instanceof ClassCastException || e instanceof NullPointerException) {
            return e;
        }
        return new StoreUnavailable(what + ": database " + describe() + " unreachable: " + e.getMessage(), e);
    }

    private void scheduleMigration(Duration delay) {
        if (closed) {
            return;
        }
        Runnable attempt = () -> vertx.executeBlocking(Uni.createFrom().item(() -> {
            migrate();
            return null;
        }), false).subscribe().with(ignored -> {
        }, failure -> LOG.error("Database migration attempt failed unexpectedly", failure));
        if (delay.isZero()) {
            attempt.run();
        } else {
            retryTimer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> attempt.run());
        }
    }

    /** One migration attempt, on a thread that may block; on success creates the pool, else schedules the next. */
    private synchronized void migrate() {
        if (closed || pool != null) {
            return;
        }
        Target t = target.orElseThrow();
        boolean first = state.equals("migrating");
        try {
            var result = Flyway.configure(Database.class.getClassLoader())
                    .dataSource(t.dataSource(timeout))
                    .resourceProvider(new Migrations(Database.class.getClassLoader()))
                    .javaMigrationClassProvider(NO_JAVA_MIGRATIONS)
                    // Its own history table, so that it can share a database (LiteLLM's) with other schemas.
                    .table("bg_schema_history")
                    // A database that has other tables but not ours yet gets ours, from V1.
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            pool = Pool.newInstance(PgBuilder.pool()
                    .with(new PoolOptions().setMaxSize(MAX_POOL_SIZE)
                            .setConnectionTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())))
                            .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
                    .connectingTo(t.connectOptions(timeout))
                    .using(vertx.getDelegate())
                    .build());
            state = "up";
            LOG.infof("Database %s is up (%s migrations applied now)", t.describe(), result.migrationsExecuted);
        } catch (Exception e) {
            // Exception, not RuntimeException: Flyway rethrows some checked exceptions undeclared (a reflective
            // lookup's NoSuchMethodException stopped a native executable's start once). Any of them is a database
            // that cannot be migrated yet, never a reason to stop the gateway or its retries.
            String reason = reason(e);
            state = "down: " + reason;
            if (first) {
                LOG.warnf("Database %s cannot be migrated (%s); virtual keys are refused and spend is buffered until it"
                        + " can, retried every %s", t.describe(), reason, retryInterval);
            } else {
                LOG.debugf("Database %s still cannot be migrated: %s", t.describe(), reason);
            }
            scheduleMigration(retryInterval);
        }
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        boolean tls = e instanceof SSLException;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            tls |= root instanceof SSLException;
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // A certificate refused reads "unable to find valid certification path ..." at the root: say it is TLS.
        return (tls ? "TLS: " : "") + message.replaceAll("\\s+", " ");
    }

    /** Stops retrying and closes the pool. */
    @PreDestroy
    void close() {
        closed = true;
        if (retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
        }
        Pool p = pool;
        pool = null;
        if (p != null) {
            p.closeAndAwait();
        }
    }

    private static final ClassProvider<JavaMigration> NO_JAVA_MIGRATIONS = List::of;

    /**
     * The database a URL names, parsed once by Vert.x ({@link PgConnectOptions#fromUri}, which takes LiteLLM's
     * {@code postgresql://} and {@code postgres://} forms and their query options) for both the reactive pool and the
     * JDBC connection of the migrations, so that both verify the server alike.
     *
     * <p>TLS as libpq's {@code sslmode} and {@code sslrootcert} say
     * (https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS): {@code require},
     * {@code prefer} and {@code allow} encrypt without verifying; {@code verify-ca} verifies the certificate chain and
     * {@code verify-full} also the host name, against the PEM certificates of {@code sslrootcert} when given (read
     * here, at start, so that a missing bundle fails start-up), else against the JVM's default trust store. libpq and
     * pgjdbc would fall back to {@code ~/.postgresql/root.crt}, which a container does not have; the JVM's store at
     * least holds the public CAs, and both connections then use it.
     *
     * @param rootCertificates the PEM certificates of {@code sslrootcert}, when given
     */
    record Target(PgConnectOptions options, String query, Optional<RootCertificates> rootCertificates) {

        /** pgjdbc's factory that verifies against the JVM's default trust store, as the reactive pool then does. */
        static final String JVM_TRUST_SSL_FACTORY = "org.postgresql.ssl.DefaultJavaSSLFactory";

        static Target parse(String url) {
            PgConnectOptions options;
            try {
                options = PgConnectOptions.fromUri(url.trim());
            } catch (RuntimeException e) {
                // The message of a parse failure may quote the URL, password included.
                throw new IllegalArgumentException("The database URL (gateway.database-url, DATABASE_URL or the "
                        + "catalog's general_settings.database_url) is not a postgresql://user:password@host:port/database"
                        + " URL (its value is not shown: it may hold a password)");
            }
            int q = url.indexOf('?');
            String query = q < 0 ? "" : url.substring(q + 1).trim();
            Optional<RootCertificates> roots = Optional.ofNullable(parameters(query).get("sslrootcert"))
                    .filter(path -> !path.isBlank())
                    .map(RootCertificates::read);
            if (roots.isPresent() && !verifies(options.getSslMode())) {
                LOG.warnf("gateway.database-url: sslrootcert is used with sslmode=verify-ca or verify-full only;"
                        + " with sslmode=%s the server's certificate is not verified", options.getSslMode().value);
            }
            return new Target(options, query, roots);
        }

        private static boolean verifies(SslMode mode) {
            return mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL;
        }

        /** The query's options, decoded; the first of a repeated name. */
        private static Map<String, String> parameters(String query) {
            Map<String, String> parameters = new HashMap<>();
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    parameters.putIfAbsent(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
            return parameters;
        }

        private static String decode(String s) {
            try {
                return URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return s;
            }
        }

        String describe() {
            return options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
        }

        /**
         * The same database as a JDBC URL, its query options (sslmode, sslrootcert ...) kept; credentials apart. For
         * {@code verify-ca}/{@code verify-full} without {@code sslrootcert} (and without an {@code sslfactory} of the
         * URL's own), pgjdbc is told to verify against the JVM's trust store rather than
         * {@code ~/.postgresql/root.crt}.
         */
        String jdbcUrl() {
            String host = options.getHost().contains(":") ? "[" + options.getHost() + "]" : options.getHost();
            String q = query;
            if (verifies(options.getSslMode()) && rootCertificates.isEmpty()
                    && !parameters(query).containsKey("sslfactory")) {
                q = (q.isEmpty() ? "" : q + "&") + "sslfactory=" + JVM_TRUST_SSL_FACTORY;
            }
            return "jdbc:postgresql://" + host + ":" + options.getPort() + "/" + options.getDatabase()
                    + (q.isEmpty() ? "" : "?" + q);
        }

        PGSimpleDataSource dataSource(Duration timeout) {
            // The data source connects through DriverManager. pgjdbc registers its driver there when its class is
            // initialized, which in the native executable happened while it was built (docs/native.md): then the
            // running DriverManager does not have it yet.
            try {
                if (DriverManager.drivers().noneMatch(driver -> driver instanceof org.postgresql.Driver)) {
                    DriverManager.registerDriver(new org.postgresql.Driver());
                }
            } catch (SQLException e) {
                throw new IllegalStateException("pgjdbc's driver could not be registered", e);
            }
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(jdbcUrl());
            ds.setUser(options.getUser());
            ds.setPassword(options.getPassword());
            int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
            ds.setConnectTimeout(seconds);
            ds.setLoginTimeout(seconds);
            ds.setSocketTimeout(MIGRATION_SOCKET_TIMEOUT_SECONDS);
            ds.setApplicationName("bedrock-gateway");
            return ds;
        }

        PgConnectOptions connectOptions(Duration timeout) {
            PgConnectOptions o = new PgConnectOptions(options)
                    .setConnectTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
            o.getProperties().putIfAbsent("application_name", "bedrock-gateway");
            SslMode mode = o.getSslMode();
            if ((mode == SslMode.REQUIRE || mode == SslMode.PREFER || mode == SslMode.ALLOW)
                    && o.getTrustOptions() == null) {
                // libpq's require/prefer/allow encrypt without verifying the server's certificate (verify-ca and
                // verify-full do), https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION;
                // Vert.x verifies unless told to trust all, which would make require fail against most servers.
                o.setTrustAll(true);
            }
            if (verifies(mode)) {
                // Vert.x refuses verify-ca/verify-full without trust options (it does not read sslrootcert) and
                // verify-full without a host name check.
                o.setTrustOptions(rootCertificates.<TrustOptions>map(RootCertificates::trustOptions)
                        .orElseGet(Target::jvmTrustStore));
                if (mode == SslMode.VERIFY_FULL) {
                    o.setHostnameVerificationAlgorithm("HTTPS");
                }
            }
            return o;
        }

        private static TrustOptions jvmTrustStore() {
            try {
                TrustManagerFactory factory =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init((KeyStore) null);
                return TrustOptions.wrap(factory);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("The JVM's default trust store cannot be loaded: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The certificates of {@code sslrootcert}: a PEM bundle such as RDS's {@code global-bundle.pem}, read once at
     * start.
     *
     * @param path as the URL names it
     * @param pem the file's content, at least one certificate
     */
    record RootCertificates(String path, Buffer pem) {

        static RootCertificates read(String path) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(Path.of(path));
            } catch (NoSuchFileException e) {
                throw unusable(path, "no such file");
            } catch (AccessDeniedException e) {
                throw unusable(path, "permission denied");
            } catch (IOException | InvalidPathException e) {
                throw unusable(path, e.getClass().getSimpleName());
            }
            int count;
            try {
                count = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))
                        .size();
            } catch (CertificateException e) {
                throw unusable(path, "not PEM certificates (" + e.getMessage() + ")");
            }
            if (count == 0) {
                throw unusable(path, "no certificate in it");
            }
            return new RootCertificates(path, Buffer.buffer(bytes));
        }

        private static IllegalArgumentException unusable(String path, String why) {
            return new IllegalArgumentException("gateway.database-url: sslrootcert " + path + " cannot be used: "
                    + why);
        }

        PemTrustOptions trustOptions() {
            return new PemTrustOptions().addCertValue(pem);
        }
    }
}
