package dev.bedrockgateway.governance.postgres;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The SQL migrations, named rather than found by scanning: Flyway's class path scanning lists directories, which
 * Quarkus's class loaders (dev mode, tests) and the packaged application do not all support the same way, so a
 * migration could silently go missing. Each new file under {@code src/main/resources/db/migration} must be added to
 * {@link #NAMES} (MigrationsTest fails otherwise).
 */
final class Migrations implements ResourceProvider {

    /** Where the migrations are on the class path. */
    static final String LOCATION = "db/migration";

    /** Every migration, in order. */
    static final List<String> NAMES = List.of("V1__governance.sql", "V2__responses.sql");

    private final ClassLoader loader;

    Migrations(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public LoadableResource getResource(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        return NAMES.contains(file) ? new Migration(file) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return NAMES.stream()
                .filter(name -> name.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(name::endsWith))
                .<LoadableResource> map(Migration::new)
                .toList();
    }

    /** One migration file, read from the class path when Flyway needs it. */
    private final class Migration extends LoadableResource {

        private final String name;

        Migration(String name) {
            this.name = name;
        }

        @Override
        public Reader read() {
            InputStream in = loader.getResourceAsStream(getAbsolutePath());
            if (in == null) {
                throw new IllegalStateException("migration " + getAbsolutePath() + " is not on the class path");
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return LOCATION + "/" + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return null;
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }
}
