package dev.bedrockgateway.translate.messages;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.translate.Invalid;
import software.amazon.awssdk.services.bedrockruntime.model.CacheTTL;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;

/**
 * Anthropic's {@code cache_control} -> a Converse {@code cachePoint}, its twin: both mark the end of a prompt prefix to
 * cache, so the cache point goes right after the block that carries the cache_control
 * (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching,
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html).
 * <ul>
 * <li>{@code ttl: "5m"} is both APIs' default and sends no {@code ttl}, since Bedrock reads an explicit ttl as a
 * request for extended TTL caching (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CachePointBlock.html);
 * {@code "1h"} sends {@code ttl: 1h}, which Bedrock refuses for models without the one-hour cache.</li>
 * <li>Only some models take cache points, and Bedrock refuses the whole request for the others ("You invoked an
 * unsupported model or your request did not allow prompt caching"). On this path that is Amazon Nova, in
 * {@code system} and {@code messages} but not in {@code tools} ({@link NovaModels}). Elsewhere a cache_control is
 * checked, left out and reported in {@code dropped}: caching only saves cost and latency, never changes the answer
 * (Anthropic itself caches nothing below a model's minimum prefix), and the usage then shows no cache reads or writes.
 * Clients such as Claude Code mark every request, and Anthropic allows at most four marks, so the report stays
 * short.</li>
 * </ul>
 */
final class CacheControls {

    static final CachePointBlock DEFAULT = CachePointBlock.builder().type(CachePointType.DEFAULT).build();
    static final CachePointBlock ONE_HOUR = CachePointBlock.builder().type(CachePointType.DEFAULT)
            .ttl(CacheTTL.VALUE_1_H).build();

    private static final Set<String> FIELDS = Set.of("type", "ttl");

    private final boolean inPrompt;
    private final boolean inTools;
    private final List<String> dropped;

    /**
     * @param inPrompt the model takes cache points in {@code system} and {@code messages}
     * @param inTools the model takes cache points in {@code toolConfig.tools}
     * @param dropped where the cache_controls left out are reported
     */
    CacheControls(boolean inPrompt, boolean inTools, List<String> dropped) {
        this.inPrompt = inPrompt;
        this.inTools = inTools;
        this.dropped = dropped;
    }

    /** The cache points for a model: Nova takes them in its prompt, no other model on this path does. */
    static CacheControls forModel(String modelId, List<String> dropped) {
        return new CacheControls(NovaModels.isNova(modelId), false, dropped);
    }

    /** The cache point a system or message block's {@code cache_control} asks for after it; null for none. */
    CachePointBlock inPrompt(ObjectNode block, String at) {
        return of(block, at, inPrompt);
    }

    /** The cache point a tool's {@code cache_control} asks for after it; null for none. */
    CachePointBlock inTools(ObjectNode tool, String at) {
        return of(tool, at, inTools);
    }

    private CachePointBlock of(ObjectNode block, String at, boolean taken) {
        JsonNode control = Fields.optional(block, "cache_control");
        if (control == null) {
            return null;
        }
        String controlAt = Fields.path(at, "cache_control");
        ObjectNode object = Fields.object(control, controlAt);
        Fields.only(object, controlAt, FIELDS);
        String type = Fields.type(object, controlAt);
        if (!"ephemeral".equals(type)) {
            throw Invalid.value(Fields.path(controlAt, "type"), "'" + type + "' is not 'ephemeral'");
        }
        String ttl = Fields.optionalText(object, "ttl", controlAt);
        CachePointBlock cachePoint;
        if (ttl == null || "5m".equals(ttl)) {
            cachePoint = DEFAULT;
        } else if ("1h".equals(ttl)) {
            cachePoint = ONE_HOUR;
        } else {
            throw Invalid.value(Fields.path(controlAt, "ttl"), "'" + ttl + "' is not one of '5m', '1h'");
        }
        if (!taken) {
            dropped.add(controlAt);
            return null;
        }
        return cachePoint;
    }
}
