package dev.bedrockgateway.nativeimage;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.graalvm.nativeimage.hosted.Feature;
import org.graalvm.nativeimage.hosted.RuntimeClassInitialization;
import org.graalvm.nativeimage.hosted.RuntimeReflection;
import org.graalvm.nativeimage.hosted.RuntimeResourceAccess;

/**
 * What the native build needs for the libraries the gateway uses without a Quarkus extension: Flyway and the
 * PostgreSQL JDBC driver, which run the migrations at start (the Quarkus extensions for them would bring a JDBC
 * pool the gateway does not use), Caffeine, and the AWS SDK's HTTP clients. The same registrations their extensions
 * make. Named in application.properties ({@code quarkus.native.additional-build-args}); docs/native.md.
 */
public final class GatewayFeature implements Feature {

    /** Flyway finds its parts, the PostgreSQL support among them, with a ServiceLoader. */
    static final String FLYWAY_PLUGIN = "org.flywaydb.core.extensibility.Plugin";

    @Override
    public String getDescription() {
        return "bedrock-gateway: Flyway's plugins, the AWS SDK's HTTP clients, pgjdbc's and Caffeine's classes loaded by name";
    }

    @Override
    public void afterRegistration(AfterRegistrationAccess access) {
        // Objects these create at class initialization (a Cleaner with its thread, a SecureRandom, a lock's
        // random) must not be frozen into the image.
        RuntimeClassInitialization.initializeAtRunTime("org.postgresql.util.LazyCleanerImpl",
                "org.postgresql.util.PasswordUtil$SecureRandomHolder",
                "org.flywaydb.core.internal.database.InsertRowLock",
                // The gateway's own: the SecureRandom of new virtual keys, seeded where it runs.
                "dev.bedrockgateway.governance.KeyHashes");
    }

    @Override
    public void beforeAnalysis(BeforeAnalysisAccess access) {
        ClassLoader loader = access.getApplicationClassLoader();
        // Flyway also copies its configuration extensions through Jackson: their properties, and the Jackson
        // annotations on them and on the interfaces they implement (ConfigurationExtension's @JsonIgnore), are read
        // reflectively.
        for (Class<?> plugin : serviceProviders(access, loader, FLYWAY_PLUGIN)) {
            introspectable(plugin, new LinkedHashSet<>());
        }
        // The AWS SDK finds its HTTP clients with a ServiceLoader too: the STS client that exchanges IRSA's web
        // identity token needs one (the gateway's own calls go through its Vert.x client, BedrockClients).
        serviceProviders(access, loader, "software.amazon.awssdk.http.SdkHttpService");
        serviceProviders(access, loader, "software.amazon.awssdk.http.async.SdkAsyncHttpService");
        // Loaded by name: the SSL factory the gateway names in the JDBC URL (Database.Target), and pgjdbc's driver,
        // which DriverManager looks up by name before it lets a caller use it.
        constructible(access, "org.postgresql.ssl.DefaultJavaSSLFactory");
        constructible(access, "org.postgresql.Driver");
        caffeineGeneratedClasses(access);
        // When a connection fails, Flyway asks each of its SQL exception types, reflectively, whether it is theirs.
        for (Class<?> type : classesOf(access, "org.flywaydb.core.internal.exception.sqlExceptions.FlywaySqlServerUntrustedCertificateSqlException", "[A-Za-z]+")) {
            RuntimeReflection.register(constructible(type).getDeclaredMethods());
        }
        // Flyway reads its own version from this resource.
        RuntimeResourceAccess.addResource(access.findClassByName("org.flywaydb.core.Flyway").getModule(),
                "org/flywaydb/database/version.txt");
    }

    /**
     * Caffeine picks the class of a cache and of its entries by name from the features the builder asked for
     * ({@code SSMWW}: strong keys and values, a maximum, weighed, expiring after write) and makes it with a method
     * handle. All of its generated classes are made constructible, so that no cache configuration can miss one;
     * they are small, and only those a cache uses are ever loaded.
     */
    static void caffeineGeneratedClasses(BeforeAnalysisAccess access) {
        classesOf(access, "com.github.benmanes.caffeine.cache.Caffeine", "[A-Z]+").forEach(GatewayFeature::constructible);
    }

    /**
     * The classes of the package of {@code anchor}, in its jar, whose simple names match {@code names}. Fails the
     * build if there are none: a library that changed its layout must be looked at again.
     */
    static List<Class<?>> classesOf(BeforeAnalysisAccess access, String anchor, String names) {
        Class<?> anchorType = access.findClassByName(anchor);
        String pkg = anchorType.getPackageName();
        Pattern entries = Pattern.compile(Pattern.quote(pkg.replace('.', '/')) + "/(" + names + ")\\.class");
        List<Class<?>> types = new ArrayList<>();
        try (ZipFile jar = new ZipFile(new File(anchorType.getProtectionDomain().getCodeSource().getLocation().toURI()))) {
            for (ZipEntry entry : Collections.list(jar.entries())) {
                Matcher m = entries.matcher(entry.getName());
                if (m.matches()) {
                    types.add(access.findClassByName(pkg + "." + m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (types.isEmpty()) {
            throw new IllegalStateException("no classes " + names + " beside " + anchor);
        }
        return types;
    }

    /**
     * A Flyway type as Jackson's bean introspection reads it: constructors, methods and fields, its superclasses and
     * interfaces, and the Flyway types of its fields (a configuration extension's models), the same way down.
     */
    static void introspectable(Class<?> type, Set<Class<?>> seen) {
        if (type == null || !type.getName().startsWith("org.flywaydb.") || !seen.add(type)) {
            return;
        }
        constructible(type);
        RuntimeReflection.register(type.getDeclaredMethods());
        RuntimeReflection.register(type.getDeclaredFields());
        introspectable(type.getSuperclass(), seen);
        for (Class<?> implemented : type.getInterfaces()) {
            introspectable(implemented, seen);
        }
        for (Field field : type.getDeclaredFields()) {
            introspectable(field.getType(), seen);
        }
    }

    /** As a Quarkus extension's ServiceProviderBuildItem: the services files, and each provider constructible. */
    static List<Class<?>> serviceProviders(BeforeAnalysisAccess access, ClassLoader loader, String service) {
        String resource = "META-INF/services/" + service;
        Set<String> providers = new LinkedHashSet<>();
        try {
            for (URL url : Collections.list(loader.getResources(resource))) {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    in.lines().map(line -> line.replaceAll("#.*", "").trim()).filter(line -> !line.isEmpty())
                            .forEach(providers::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (providers.isEmpty()) {
            throw new IllegalStateException("no providers of " + service + " on the class path");
        }
        Class<?> serviceType = access.findClassByName(service);
        RuntimeResourceAccess.addResource(serviceType.getModule(), resource);
        List<Class<?>> types = new ArrayList<>();
        for (String provider : providers) {
            types.add(constructible(access, provider));
        }
        return types;
    }

    static Class<?> constructible(BeforeAnalysisAccess access, String name) {
        Class<?> type = access.findClassByName(name);
        if (type == null) {
            throw new IllegalStateException(name + " is not on the class path");
        }
        return constructible(type);
    }

    static Class<?> constructible(Class<?> type) {
        RuntimeReflection.register(type);
        RuntimeReflection.register(type.getDeclaredConstructors());
        return type;
    }
}
