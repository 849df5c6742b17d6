package dev.bedrockgateway.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.config.StartupRefusal;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;

/**
 * The catalog in force. Loaded at start-up, so a broken file stops the pod before it takes traffic, every error of the
 * file logged on a line of its own ({@link StartupRefusal}); then the file is watched
 * ({@code gateway.config-reload-interval}) and a valid change replaces the catalog without a restart. The API keys are
 * read once at start-up.
 *
 * <p>With {@code gateway.catalog.serve-errors} (dev mode), a catalog with errors at start-up does not stop the gateway:
 * an empty catalog is in force, {@link #errors()} holds the errors (every API request is answered with them, readiness
 * is DOWN) until a fixed file is loaded.
 */
@Startup
@ApplicationScoped
public class ModelCatalog {

    /** The catalog shipped inside the application, used when {@code gateway.config-file} is not set. */
    public static final String BUNDLED = "catalog/default-catalog.yaml";

    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);

    private final GatewayConfig config;
    private final Vertx vertx;
    private volatile Catalog current;
    private volatile NamesByBedrockId namesByBedrockId;
    private volatile List<String> errors = List.of();
    private String lastText;
    private long reloadTimer = -1;

    public ModelCatalog(GatewayConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    @PostConstruct
    void load() {
        try {
            install(read());
        } catch (CatalogException e) {
            String source = config.configFile().orElse("classpath:" + BUNDLED);
            if (!config.catalog().serveErrors()) {
                throw StartupRefusal.refuse(LOG, e.errors(), "the model catalog " + source + " has "
                        + StartupRefusal.errors(e.errors().size()));
            }
            current = new Catalog(source, Map.of(), CatalogSettings.DEFAULTS, Optional.empty(), Optional.empty(),
                    Optional.empty(), Instant.now().getEpochSecond(), List.of());
            serveErrors(e);
        }
        Duration interval = config.configReloadInterval();
        if (config.configFile().isPresent() && !interval.isZero() && !interval.isNegative()) {
            reloadTimer = vertx.setPeriodic(interval.toMillis(), id -> vertx.executeBlocking(() -> {
                reloadIfChanged();
                return null;
            }, true));
        }
    }

    @PreDestroy
    void stop() {
        if (reloadTimer >= 0) {
            vertx.cancelTimer(reloadTimer);
        }
    }

    private void install(Catalog loaded) {
        loaded.warnings().forEach(LOG::warn);
        // %s, not %d: the first %d loads the locale's number symbols, 4 % of a native executable's start-up
        // (docs/native.md); left to the first log line that needs them (a 5xx's, ErrorMapper).
        LOG.infof("Model catalog %s: %s model names, %s deployments", loaded.source(), loaded.groups().size(),
                loaded.groups().values().stream().mapToInt(List::size).sum());
        current = loaded;
        errors = List.of();
    }

    private void serveErrors(CatalogException e) {
        errors = e.errors();
        LOG.errorf("The model catalog has %s; every API request is answered with them until the file is fixed "
                + "(gateway.catalog.serve-errors):", StartupRefusal.errors(e.errors().size()));
        e.errors().forEach(LOG::error);
    }

    /**
     * Loads the catalog file again if its content changed. A file that does not load is logged, every error on a
     * line of its own, and ignored: the catalog in force keeps serving, and the file is tried again once it changes.
     */
    void reloadIfChanged() {
        Path path = Path.of(config.configFile().orElseThrow());
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.errorf("Catalog %s cannot be read (%s); the current catalog keeps serving", path, e.getMessage());
            return;
        }
        if (text.equals(lastText)) {
            return;
        }
        lastText = text;
        try {
            install(CatalogLoader.load(path.toString(), text, System::getenv, config.bedrock().region(),
                    Instant.now().getEpochSecond()));
        } catch (CatalogException e) {
            if (!errors.isEmpty()) {
                serveErrors(e);
                return;
            }
            LOG.errorf("Catalog change rejected, it has %s; the current catalog keeps serving:",
                    StartupRefusal.errors(e.errors().size()));
            e.errors().forEach(LOG::error);
        }
    }

    private Catalog read() {
        long now = Instant.now().getEpochSecond();
        String region = config.bedrock().region();
        if (config.configFile().isPresent()) {
            Path path = Path.of(config.configFile().get());
            String text;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CatalogException(path + ": cannot read the catalog file: " + e, e);
            }
            lastText = text;
            return CatalogLoader.load(path.toString(), text, System::getenv, region, now);
        }
        try (InputStream in = ModelCatalog.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new CatalogException("classpath:" + BUNDLED + ": bundled catalog missing from the build");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return CatalogLoader.load("classpath:" + BUNDLED, text, System::getenv, region, now);
        } catch (IOException e) {
            throw new CatalogException("classpath:" + BUNDLED + ": cannot read the bundled catalog: " + e, e);
        }
    }

    public Catalog current() {
        return current;
    }

    /**
     * The errors of the catalog file while no catalog of it could be loaded (only with
     * {@code gateway.catalog.serve-errors}); empty otherwise.
     */
    public List<String> errors() {
        return errors;
    }

    /**
     * The deployment serving a chat or legacy completion request for {@code modelName}.
     *
     * @throws OpenAiException 400 when no model is named or the model is an embedding model, 404 when unknown
     */
    public Deployment textDeployment(String modelName) {
        Deployment deployment = resolve(requireModel(modelName)).get(0);
        if (!deployment.mode().servesChat()) {
            throw OpenAiException.invalidRequest("model", ErrorTypes.CODE_INVALID_VALUE, "The model '" + modelName
                    + "' is an embedding model; it serves /v1/embeddings only.");
        }
        return deployment;
    }

    /**
     * The deployment serving an embeddings request for {@code modelName}.
     *
     * @throws OpenAiException 400 when no model is named or the model is not an embedding model, 404 when unknown
     */
    public Deployment embeddingDeployment(String modelName) {
        Deployment deployment = resolve(requireModel(modelName)).get(0);
        if (deployment.mode() != ModelMode.EMBEDDING) {
            throw OpenAiException.invalidRequest("model", ErrorTypes.CODE_INVALID_VALUE, "The model '" + modelName
                    + "' is not an embedding model; use /v1/chat/completions or /v1/completions.");
        }
        return deployment;
    }

    private static String requireModel(String modelName) {
        if (modelName == null || modelName.isBlank()) {
            throw OpenAiException.invalidRequest("model", "You must provide a model parameter.");
        }
        return modelName;
    }

    /**
     * The catalog's model name for what a client of Bedrock's own API puts in its path: a model name of the catalog,
     * or a Bedrock model id (or inference profile id or ARN) a deployment of the catalog uses, which stands for the
     * model name of the first such deployment in {@code model_list}. Anything else is returned as it is (and is then
     * unknown to {@link #resolve}).
     */
    public String modelNameOf(String nameOrBedrockId) {
        Catalog catalog = current;
        if (catalog.find(nameOrBedrockId).isPresent()) {
            return nameOrBedrockId;
        }
        NamesByBedrockId names = namesByBedrockId;
        if (names == null || names.catalog() != catalog) {
            names = NamesByBedrockId.of(catalog);
            namesByBedrockId = names;
        }
        return names.names().getOrDefault(nameOrBedrockId, nameOrBedrockId);
    }

    /** Bedrock model ids to model names, for one catalog (made once per catalog loaded). */
    private record NamesByBedrockId(Catalog catalog, Map<String, String> names) {
        static NamesByBedrockId of(Catalog catalog) {
            Map<String, String> names = new HashMap<>();
            catalog.groups().values().stream().flatMap(List::stream)
                    .sorted(Comparator.comparingInt(Deployment::entry))
                    .forEach(d -> names.putIfAbsent(d.modelId(), d.modelName()));
            return new NamesByBedrockId(catalog, Map.copyOf(names));
        }
    }

    /**
     * The deployments serving {@code modelName}.
     *
     * @throws OpenAiException 404 {@code model_not_found}, worded as OpenAI words it
     */
    public List<Deployment> resolve(String modelName) {
        return current.find(modelName).orElseThrow(() -> OpenAiException.modelNotFound(modelName));
    }
}
