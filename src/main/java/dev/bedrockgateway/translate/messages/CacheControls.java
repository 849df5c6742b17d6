package dev.bedrockgateway.translate.messages;

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
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html). {@code ttl: "5m"} is both APIs' default
 * and sends no {@code ttl}, since Bedrock reads an explicit ttl as a request for extended TTL caching
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CachePointBlock.html); {@code "1h"} sends
 * {@code ttl: 1h}, which Bedrock refuses for models without the one-hour cache.
 */
final class CacheControls {

    static final CachePointBlock DEFAULT = CachePointBlock.builder().type(CachePointType.DEFAULT).build();
    static final CachePointBlock ONE_HOUR = CachePointBlock.builder().type(CachePointType.DEFAULT)
            .ttl(CacheTTL.VALUE_1_H).build();

    private static final Set<String> FIELDS = Set.of("type", "ttl");

    private CacheControls() {
    }

    /** The cache point a block's {@code cache_control} asks for after it; null when it has none. */
    static CachePointBlock of(ObjectNode block, String at) {
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
        if (ttl == null || "5m".equals(ttl)) {
            return DEFAULT;
        }
        if ("1h".equals(ttl)) {
            return ONE_HOUR;
        }
        throw Invalid.value(Fields.path(controlAt, "ttl"), "'" + ttl + "' is not one of '5m', '1h'");
    }
}
