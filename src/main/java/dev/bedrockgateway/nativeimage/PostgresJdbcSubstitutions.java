package dev.bedrockgateway.nativeimage;

import org.postgresql.core.PGStream;
import org.postgresql.sspi.ISSPIClient;

import com.oracle.svm.core.annotate.Delete;
import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * The PostgreSQL JDBC driver (used only by Flyway, for the migrations at start) in the native executable. Its SSPI
 * authentication is Windows-only and needs JNA, which is not on the class path: the native build links every class at
 * build time and would stop on it. Quarkus's {@code quarkus-jdbc-postgresql} extension does the same, but brings the
 * Agroal pool with it, which the gateway does not use (its queries go through the reactive client).
 */
final class PostgresJdbcSubstitutions {

    private PostgresJdbcSubstitutions() {
    }

    /** A server asking for SSPI gets an error instead of a class that cannot load. */
    @TargetClass(className = "org.postgresql.core.v3.ConnectionFactoryImpl")
    static final class Target_ConnectionFactoryImpl {

        @Substitute
        private static ISSPIClient createSSPI(PGStream stream, String spnServiceClass, boolean enableNegotiate) {
            throw new UnsupportedOperationException("SSPI (Windows) authentication is not supported by the gateway's native executable");
        }
    }

    /** The JNA binding SSPI would use; nothing reaches it once createSSPI is replaced. */
    @TargetClass(className = "org.postgresql.sspi.NTDSAPIWrapper")
    @Delete
    static final class Target_NTDSAPIWrapper {
    }
}
