package dev.bedrockgateway.governance;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.config.StartupRefusal;
import io.quarkus.runtime.Startup;

/**
 * The keys clients must present: {@code GATEWAY_MASTER_KEY} (comma-separated, several allowed), else the
 * catalog's {@code general_settings.master_key}. Only SHA-256 digests are kept, and a presented key is compared
 * against every one of them in constant time, so neither timing nor a heap dump gives keys away.
 */
@Startup
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final GatewayConfig config;
    private final ModelCatalog catalog;
    private List<byte[]> digests = List.of();

    public ApiKeys(GatewayConfig config, ModelCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    @PostConstruct
    void init() {
        List<String> keys = new ArrayList<>();
        config.masterKey().ifPresent(list -> list.stream().map(String::trim).filter(k -> !k.isEmpty())
                .forEach(keys::add));
        if (keys.isEmpty()) {
            catalog.current().masterKey().ifPresent(keys::add);
        }
        if (keys.isEmpty()) {
            if (!config.auth().allowAnonymous()) {
                throw StartupRefusal.refuse(LOG, List.of("No API key is configured: set GATEWAY_MASTER_KEY (or "
                        + "general_settings.master_key in the catalog), or set GATEWAY_AUTH_ALLOW_ANONYMOUS=true to "
                        + "serve without authentication."), "no API key is configured");
            }
            LOG.warn("No API key configured: the gateway accepts requests without authentication");
        }
        List<byte[]> computed = new ArrayList<>(keys.size());
        keys.forEach(k -> computed.add(KeyHashes.sha256(k)));
        digests = List.copyOf(computed);
    }

    /**
     * The SHA-256 of the first master key, a secret the replicas share, to derive other secrets from; empty without
     * master keys.
     */
    public java.util.Optional<byte[]> firstDigest() {
        return digests.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(digests.get(0).clone());
    }

    public boolean required() {
        return !digests.isEmpty();
    }

    public boolean accepts(String presented) {
        return identify(presented) != null;
    }

    /**
     * The id of the presented key when it is one of the configured keys, else null: the first 8 hex digits of its
     * SHA-256, stable across restarts and safe to log and to key rate limits by.
     */
    public String identify(String presented) {
        byte[] digest = KeyHashes.sha256(presented);
        byte[] matched = null;
        for (byte[] known : digests) {
            if (MessageDigest.isEqual(known, digest)) {
                matched = known;
            }
        }
        return matched == null ? null : "key-" + HexFormat.of().formatHex(matched, 0, 4);
    }

}
