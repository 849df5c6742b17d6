import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The {@code native-image} front end of bedrock-gateway's verification toolchain (see src/native-toolchain/README.md).
 *
 * <p>GraalVM's own driver ({@code svm-driver}) is not published on Maven Central; its builder is. This program does
 * the part of the driver's work that a Quarkus build needs, and no more:
 * <ul>
 * <li>{@code --version}, in the three lines Quarkus parses;</li>
 * <li>the command line Quarkus writes: {@code -J} options for the builder's JVM, {@code -H:}/{@code -R:} options as
 * they are, the driver's API options ({@code --features=}, {@code --initialize-at-run-time=}, ...) turned into
 * builder options through the table read off the builder's own {@code @APIOption} annotations when the toolchain was
 * assembled ({@code --scan-api-options}), {@code --exclude-config}, {@code -jar} with its manifest class path, and the
 * image name;</li>
 * <li>every class path entry's {@code META-INF/native-image/**}: {@code native-image.properties} ({@code Args},
 * {@code JavaArgs}, {@code ImageName}) and the configuration files, passed to the builder as the driver does;</li>
 * <li>the builder's JVM: Temurin 25 with JVMCI, the builder jars on the module path, the module exports the builder
 * needs ({@code builder-exports.txt}).</li>
 * </ul>
 * An option it does not know stops the build with an error: nothing is dropped quietly.
 */
public class NativeImage {

    static final String VERSION = "25.0.2";
    static final String RELEASE_DATE = "2026-01-20";
    static final String VENDOR = "bedrock-gateway-verification-toolchain";

    /** The configuration files the driver hands to the builder, by file name, with the builder option that takes them. */
    static final Map<String, String> CONFIG_FILES = new LinkedHashMap<>();
    static {
        CONFIG_FILES.put("reachability-metadata.json", "ReachabilityMetadataResources");
        CONFIG_FILES.put("jni-config.json", "JNIConfigurationResources");
        CONFIG_FILES.put("reflect-config.json", "ReflectionConfigurationResources");
        CONFIG_FILES.put("resource-config.json", "ResourceConfigurationResources");
        CONFIG_FILES.put("proxy-config.json", "DynamicProxyConfigurationResources");
        CONFIG_FILES.put("serialization-config.json", "SerializationConfigurationResources");
        CONFIG_FILES.put("serialization-deny-config.json", "SerializationDenyConfigurationResources");
        CONFIG_FILES.put("predefined-classes-config.json", "PredefinedClassesConfigurationResources");
    }

    /** One driver option, as the builder declares it with {@code @APIOption}. */
    record ApiOption(String name, String builderOption, String fixedValue, String defaultValue, String transformer,
            String separators, boolean negated, boolean bool) {
    }

    final Path home;
    final List<String> javaArgs = new ArrayList<>();
    final List<String> builderArgs = new ArrayList<>();
    final LinkedHashSet<Path> classPath = new LinkedHashSet<>();
    final List<Pattern[]> excludedConfigs = new ArrayList<>();
    final Map<String, ApiOption> apiOptions = new LinkedHashMap<>();
    String mainClass;
    String imageName;
    boolean verbose;

    NativeImage(Path home) throws IOException {
        this.home = home;
        for (String line : Files.readAllLines(home.resolve("lib/svm/api-options.tsv"))) {
            String[] f = line.split("\t", -1);
            apiOptions.put(f[0], new ApiOption(f[0], f[1], f[2], f[3], f[4], f[5], Boolean.parseBoolean(f[6]), Boolean.parseBoolean(f[7])));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--scan-api-options")) {
            scanApiOptions(Arrays.copyOfRange(args, 1, args.length), System.out);
            return;
        }
        Path home = Path.of(System.getProperty("toolchain.home"));
        NativeImage driver = new NativeImage(home);
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-version"))) {
            // The lines GraalVM CE 25.0.2's driver prints, which is the builder this is; Quarkus parses them (its
            // GraalVM.Version) and accepts no other vendor text. The JDK is the local Temurin's.
            String java = Runtime.version().toString();
            System.out.println("native-image " + VERSION + " " + RELEASE_DATE);
            System.out.println("GraalVM Runtime Environment GraalVM CE " + VERSION + "+10.1 (build " + java + ")");
            System.out.println("Substrate VM GraalVM CE " + VERSION + "+10.1 (build " + java + ", serial gc)");
            return;
        }
        try {
            driver.parse(new ArrayList<>(expandArgFiles(args)));
            System.exit(driver.build());
        } catch (UsageError e) {
            System.err.println("native-image (verification toolchain): " + e.getMessage());
            System.exit(2);
        }
    }

    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    static List<String> expandArgFiles(String[] args) throws IOException {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("@") && arg.length() > 1) {
                for (String line : Files.readAllLines(Path.of(arg.substring(1)))) {
                    if (!line.isBlank()) {
                        out.add(line.strip());
                    }
                }
            } else {
                out.add(arg);
            }
        }
        return out;
    }

    /**
     * The command line, in order. Positional arguments, as the driver takes them: with {@code -jar}, the image name;
     * otherwise the main class, then the image name.
     */
    void parse(List<String> args) throws IOException {
        List<String> positional = new ArrayList<>();
        boolean jar = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-jar")) {
                addJar(Path.of(need(args, ++i, arg)).toAbsolutePath());
                jar = true;
            } else if (arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path")) {
                for (String entry : need(args, ++i, arg).split(":")) {
                    classPath.add(Path.of(entry).toAbsolutePath());
                }
            } else if (arg.equals("--exclude-config")) {
                excludedConfigs.add(new Pattern[] {Pattern.compile(need(args, ++i, arg)), Pattern.compile(need(args, ++i, arg))});
            } else if (arg.equals("-o")) {
                imageName = need(args, ++i, arg);
            } else if (arg.equals("--verbose")) {
                verbose = true;
            } else if (arg.startsWith("-") && !arg.equals("-")) {
                option(arg, "the command line");
            } else {
                positional.add(arg);
            }
        }
        if (!jar && !positional.isEmpty()) {
            mainClass = positional.remove(0);
        }
        if (!positional.isEmpty()) {
            imageName = positional.remove(0);
        }
        if (!positional.isEmpty()) {
            throw new UsageError("unexpected arguments " + positional);
        }
        if (classPath.isEmpty()) {
            throw new UsageError("nothing to build: give -jar <jar> or -cp <path> <main class>");
        }
        // What the driver does for every class path entry: its META-INF/native-image. Entries the properties add
        // (none in practice) are not walked again.
        for (Path entry : new ArrayList<>(classPath)) {
            walkMetaInf(entry);
        }
    }

    static String need(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new UsageError(option + " needs a value");
        }
        return args.get(i);
    }

    void addJar(Path jar) throws IOException {
        classPath.add(jar);
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return;
            }
            String main = manifest.getMainAttributes().getValue("Main-Class");
            if (main != null && mainClass == null) {
                mainClass = main;
            }
            String cp = manifest.getMainAttributes().getValue("Class-Path");
            if (cp != null) {
                for (String entry : cp.trim().split("\\s+")) {
                    classPath.add(jar.getParent().resolve(entry).normalize());
                }
            }
        }
    }

    /** One option, from the command line or from a native-image.properties file. */
    void option(String arg, String origin) {
        if (arg.startsWith("-J")) {
            javaArgs.add(arg.substring(2));
        } else if (arg.startsWith("-H:") || arg.startsWith("-R:")) {
            builderArgs.add(arg);
        } else if (arg.startsWith("-D")) {
            // The driver passes system properties to the builder's JVM as well (for build-time initializers).
            javaArgs.add(arg);
        } else if (arg.equals("--verbose")) {
            verbose = true;
        } else if (!apiOption(arg)) {
            throw new UsageError("option " + arg + " (from " + origin + ") is not one the verification toolchain knows");
        }
    }

    /**
     * A driver option the builder declares with {@code @APIOption}: {@code --name[=value]}, or {@code -name[value]}
     * for {@code -O}, {@code -march=}, {@code -g}. The value goes through the declared transformer.
     */
    boolean apiOption(String arg) {
        String name = arg.startsWith("--") ? arg.substring(2) : arg;
        String value = null;
        ApiOption option = apiOptions.get(name);
        if (option == null) {
            for (ApiOption candidate : apiOptions.values()) {
                for (char separator : candidate.separators().toCharArray()) {
                    String prefix = candidate.name() + (separator == '\0' ? "" : String.valueOf(separator));
                    if (name.startsWith(prefix) && name.length() > prefix.length() && (separator != '\0' || !candidate.name().startsWith("--"))) {
                        option = candidate;
                        value = name.substring(prefix.length());
                        break;
                    }
                }
                if (option != null) {
                    break;
                }
            }
        }
        if (option == null) {
            return false;
        }
        if (!option.fixedValue().isEmpty()) {
            value = option.fixedValue();
        } else if (value == null && !option.defaultValue().isEmpty()) {
            value = option.defaultValue().equals("<empty>") ? "" : option.defaultValue();
        }
        if (value == null && option.bool()) {
            builderArgs.add("-H:" + (option.negated() ? "-" : "+") + option.builderOption());
            return true;
        }
        if (value == null) {
            value = "";
        }
        value = switch (option.transformer()) {
            case "build_time", "run_time" -> initialization(value, option.transformer());
            case "" -> value;
            default -> throw new UsageError("option --" + option.name() + " needs the builder's " + option.transformer() + ", which this front end does not run");
        };
        builderArgs.add("-H:" + option.builderOption() + "=" + value);
        return true;
    }

    /** ClassInitializationOptions' transformer: every comma-separated element gets the phase as a suffix. */
    static String initialization(String value, String phase) {
        String[] elements = value.split(",");
        if (elements.length == 0) {
            return ":" + phase;
        }
        List<String> out = new ArrayList<>();
        for (String element : elements) {
            out.add(element + ":" + phase);
        }
        return String.join(",", out);
    }

    void walkMetaInf(Path entry) throws IOException {
        if (Files.isDirectory(entry)) {
            walkMetaInfRoot(entry, entry.resolve("META-INF/native-image"));
        } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
            try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + entry.toUri()), Map.of())) {
                walkMetaInfRoot(entry, jar.getPath("/META-INF/native-image"));
            }
        }
    }

    void walkMetaInfRoot(Path entry, Path base) throws IOException {
        if (!Files.isDirectory(base)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(base)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Path root = base.getParent().getParent();
        // In the driver's order: the properties first, then each kind of configuration file.
        for (Path file : files) {
            if (file.getFileName().toString().equals("native-image.properties") && !excluded(entry, file)) {
                properties(root, file);
            }
        }
        for (Map.Entry<String, String> kind : CONFIG_FILES.entrySet()) {
            for (Path file : files) {
                if (file.getFileName().toString().equals(kind.getKey()) && !excluded(entry, file)) {
                    builderArgs.add("-H:" + kind.getValue() + "=" + root.relativize(file));
                }
            }
        }
    }

    boolean excluded(Path entry, Path file) {
        for (Pattern[] exclusion : excludedConfigs) {
            if (exclusion[0].matcher(entry.toString()).find() && exclusion[1].matcher(file.toString()).find()) {
                return true;
            }
        }
        return false;
    }

    void properties(Path root, Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        String directory = root.relativize(file).getParent().toString();
        String name = properties.getProperty("ImageName");
        if (name != null && imageName == null) {
            imageName = resolve(name, directory);
        }
        for (String value : split(properties.getProperty("JavaArgs"))) {
            javaArgs.add(resolve(value, directory));
        }
        for (String value : split(properties.getProperty("Args"))) {
            option(resolve(value, directory), file.toUri().toString());
        }
    }

    static List<String> split(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.asList(value.trim().split("\\s+"));
    }

    String resolve(String value, String directory) {
        return value.replace("${.}", directory).replace("${java.home}", home.toString());
    }

    /** Starts the builder and waits for it. */
    int build() throws IOException, InterruptedException {
        if (mainClass == null) {
            throw new UsageError("no main class: the jar's manifest names none and none was given");
        }
        if (imageName == null) {
            imageName = mainClass.substring(mainClass.lastIndexOf('.') + 1).toLowerCase();
        }
        Path builderJars = home.resolve("lib/svm/builder");
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/java").toString());
        command.add("@" + home.resolve("lib/svm/builder-exports.txt"));
        // The driver's own flags for the builder's JVM (NativeImage.java in GraalVM 25.0.2), in its order.
        command.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                "-Dtruffle.TrustAllTruffleRuntimeProviders=true", "-Dtruffle.TruffleRuntime=com.oracle.truffle.api.impl.DefaultTruffleRuntime",
                "-Dgraalvm.ForcePolyglotInvalid=true", "-Dsubstratevm.HostLibC=glibc",
                "-Xss10m", "-XX:+UseParallelGC", "-XX:MaxRAMPercentage=75", "-XX:GCTimeRatio=9", "-XX:+ExitOnOutOfMemoryError",
                "-Xshare:off", "-Djava.awt.headless=true",
                "-Dorg.graalvm.vendor=" + VENDOR, "-Dorg.graalvm.vendorversion=" + VENDOR + "-" + VERSION,
                "-Dorg.graalvm.version=" + VERSION, "-Dcom.oracle.graalvm.isaot=true", "-Dgraalvm.locatorDisabled=true",
                "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader",
                "-Dorg.graalvm.nativeimage.imagecode=buildtime",
                "-Djdk.internal.lambda.disableEagerInitialization=true", "-Djdk.internal.lambda.eagerlyInitialize=false",
                "-Djava.lang.invoke.InnerClassLambdaMetafactory.initializeLambdas=false",
                "-Djava.lang.invoke.MethodHandle.DONT_INLINE_THRESHOLD=-1", "-Djava.lang.invoke.MethodHandle.PROFILE_GWT=false",
                "--enable-native-access=org.graalvm.nativeimage.builder,ALL-UNNAMED"));
        command.addAll(javaArgs);
        List<String> modulePath = new ArrayList<>();
        String upgrade = null;
        try (Stream<Path> jars = Files.list(builderJars)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                if (jar.getFileName().toString().startsWith("compiler-")) {
                    upgrade = jar.toString();
                } else {
                    modulePath.add(jar.toString());
                }
            }
        }
        command.addAll(List.of("--upgrade-module-path", upgrade, "--module-path", String.join(":", modulePath),
                "--add-modules", "ALL-DEFAULT",
                "-m", "org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner",
                "-keepalive", "/proc/" + ProcessHandle.current().pid() + "/comm"));
        command.add("-imagecp");
        command.add(String.join(":", classPath.stream().map(Path::toString).toList()));
        command.add("-H:Path=" + Path.of("").toAbsolutePath());
        command.add("-H:Name=" + imageName);
        command.add("-H:Class=" + mainClass);
        command.add("-H:ImageBuildID=" + UUID.randomUUID());
        // The toolchain's own C libraries and headers, and Temurin's JDK libraries linked as shared objects from
        // lib/svm/runtime, which the executable then finds through its run path (see README.md).
        command.add("-H:CLibraryPath=" + home.resolve("lib/svm/clibraries/linux-amd64"));
        command.add("-H:NativeLinkerOption=-Wl,-rpath," + home.resolve("lib/svm/runtime"));
        command.addAll(builderArgs);
        if (verbose) {
            System.err.println(String.join(" \\\n  ", command));
        }
        Process process = new ProcessBuilder(command).inheritIO().start();
        return process.waitFor();
    }

    /**
     * Reads the driver's option table off the builder jars: every {@code @APIOption} on a hosted option field. Run
     * once, when the toolchain is assembled; one line per option name, tab-separated.
     */
    static void scanApiOptions(String[] jars, PrintStream out) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String jar : jars) {
            urls.add(Path.of(jar).toUri().toURL());
        }
        ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), null);
        @SuppressWarnings("unchecked")
        Class<? extends Annotation> single = (Class<? extends Annotation>) loader.loadClass("com.oracle.svm.core.option.APIOption");
        @SuppressWarnings("unchecked")
        Class<? extends Annotation> list = (Class<? extends Annotation>) loader.loadClass("com.oracle.svm.core.option.APIOption$List");
        Set<String> seen = new LinkedHashSet<>();
        for (String jar : jars) {
            try (ZipFile zip = new ZipFile(jar)) {
                for (ZipEntry entry : Collections.list(zip.entries())) {
                    if (!entry.getName().endsWith(".class")) {
                        continue;
                    }
                    byte[] bytes = zip.getInputStream(entry).readAllBytes();
                    if (!new String(bytes, StandardCharsets.ISO_8859_1).contains("com/oracle/svm/core/option/APIOption")) {
                        continue;
                    }
                    Class<?> type = Class.forName(entry.getName().replace('/', '.').replaceAll("\\.class$", ""), false, loader);
                    for (Field field : type.getDeclaredFields()) {
                        List<Annotation> annotations = new ArrayList<>();
                        Annotation one = field.getAnnotation(single);
                        if (one != null) {
                            annotations.add(one);
                        }
                        Annotation many = field.getAnnotation(list);
                        if (many != null) {
                            annotations.addAll(Arrays.asList((Annotation[]) list.getMethod("value").invoke(many)));
                        }
                        boolean bool = field.getGenericType().getTypeName().endsWith("<java.lang.Boolean>");
                        for (Annotation api : annotations) {
                            for (String name : (String[]) attr(api, "name")) {
                                String fixed = String.join(",", (String[]) attr(api, "fixedValue"));
                                String[] defaults = (String[]) attr(api, "defaultValue");
                                String defaultValue = defaults.length == 0 ? "" : defaults[0].isEmpty() ? "<empty>" : defaults[0];
                                Class<?>[] transformers = (Class<?>[]) attr(api, "valueTransformer");
                                String transformer = "";
                                for (Class<?> t : transformers) {
                                    if (t.getSimpleName().equals("InitializationValueBuildTime")) {
                                        transformer = "build_time";
                                    } else if (t.getSimpleName().equals("InitializationValueRunTime")) {
                                        transformer = "run_time";
                                    } else if (!t.getSimpleName().equals("DefaultTransformer")) {
                                        transformer = t.getName();
                                    }
                                }
                                String separators = new String((char[]) attr(api, "valueSeparator"));
                                boolean negated = attr(api, "kind").toString().equals("Negated");
                                if (seen.add(name)) {
                                    out.println(String.join("\t", name, field.getName(), fixed, defaultValue, transformer, separators,
                                            Boolean.toString(negated), Boolean.toString(bool)));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static Object attr(Annotation annotation, String name) throws Exception {
        Method method = annotation.annotationType().getMethod(name);
        return method.invoke(annotation);
    }
}
