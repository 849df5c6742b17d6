package dev.bedrockgateway.nativeimage;

import org.flywaydb.core.internal.scanner.classpath.ClassPathLocationScanner;
import org.flywaydb.core.internal.scanner.classpath.UrlResolver;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * Flyway's class path scanner in the native executable. The gateway never scans: its migrations are named
 * ({@code governance.postgres.Migrations}, Flyway's ResourceProvider) and it has no Java migrations. The scanner's
 * JBoss VFS support needs JBoss VFS, which is not on the class path, and the native build links every class at build
 * time. Quarkus's {@code quarkus-flyway} extension replaces the same methods, but needs a JDBC datasource pool the
 * gateway does not have.
 */
final class FlywaySubstitutions {

    private FlywaySubstitutions() {
    }

    @TargetClass(className = "org.flywaydb.core.internal.scanner.classpath.ClassPathScanner")
    static final class Target_ClassPathScanner {

        @Substitute
        private UrlResolver createUrlResolver(String protocol) {
            throw new UnsupportedOperationException("the gateway's native executable does not scan the class path for migrations");
        }

        @Substitute
        private ClassPathLocationScanner createLocationScanner(String protocol) {
            throw new UnsupportedOperationException("the gateway's native executable does not scan the class path for migrations");
        }
    }
}
