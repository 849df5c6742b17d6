package dev.bedrockgateway.dev;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's prompt caching as the simulated Claude reports it
 * (https://docs.claude.com/en/docs/build-with-claude/prompt-caching): a block with {@code cache_control} marks a
 * breakpoint, and the prompt up to it (tools, then system, then messages) is cached. The first request with a prefix
 * writes it ({@code cache_creation_input_tokens}, split by the breakpoint's ttl); a later one that repeats the prefix
 * reads it ({@code cache_read_input_tokens}). As with Anthropic, a breakpoint also finds a prefix cached by an earlier
 * request that ends at one of the {@value #LOOKBACK_BLOCKS} blocks before it, so a conversation that moves its
 * breakpoint to its newest message reads what the previous turn wrote.
 *
 * <p>Prefixes are remembered by hash, per model, in a bounded set (the oldest forgotten first); they never expire by
 * time, and the minimum cacheable length is not applied. Thread-safe.
 */
final class PromptCache {

    /**
     * One block of the prompt in cache order: its text (a canonical form, without its {@code cache_control}, that
     * identifies it), its tokens, and the ttl of its {@code cache_control} if it carries one ("5m" or "1h").
     */
    record Segment(String identity, int tokens, String breakpointTtl) {
    }

    /** How a request's input tokens divide; they add up to its whole input. */
    record Usage(int uncached, int written5m, int written1h, int read) {

        int written() {
            return written5m + written1h;
        }

        int total() {
            return uncached + written() + read;
        }
    }

    static final int LOOKBACK_BLOCKS = 20;
    private static final int REMEMBERED_PREFIXES = 4096;

    private final Map<String, Boolean> prefixes = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_PREFIXES;
                }
            });

    static int total(List<Segment> segments) {
        return segments.stream().mapToInt(Segment::tokens).sum();
    }

    /** What a request with {@code segments} reads from and writes to the cache; remembers what it writes. */
    Usage use(String model, List<Segment> segments) {
        int total = total(segments);
        String[] hashes = prefixHashes(model, segments);
        int[] tokensThrough = new int[segments.size()];
        int running = 0;
        int lastBreakpoint = -1;
        for (int i = 0; i < segments.size(); i++) {
            running += segments.get(i).tokens();
            tokensThrough[i] = running;
            if (segments.get(i).breakpointTtl() != null) {
                lastBreakpoint = i;
            }
        }
        if (lastBreakpoint < 0) {
            return new Usage(total, 0, 0, 0);
        }
        int hit = longestCachedPrefix(segments, hashes);
        int read = hit < 0 ? 0 : tokensThrough[hit];
        int written5m = 0;
        int written1h = 0;
        int cachedThrough = read;
        for (int i = hit + 1; i <= lastBreakpoint; i++) {
            String ttl = segments.get(i).breakpointTtl();
            if (ttl == null) {
                continue;
            }
            // The tokens since the previous cached point are written with the ttl of the breakpoint that ends them.
            int tokens = tokensThrough[i] - cachedThrough;
            if (ttl.equals("1h")) {
                written1h += tokens;
            } else {
                written5m += tokens;
            }
            cachedThrough = tokensThrough[i];
            prefixes.put(hashes[i], Boolean.TRUE);
        }
        return new Usage(total - read - written5m - written1h, written5m, written1h, read);
    }

    /**
     * The last block, at or up to {@value #LOOKBACK_BLOCKS} blocks before a breakpoint, whose prefix is cached; the
     * lookup keeps that prefix from being the next one forgotten, as a hit refreshes Anthropic's ttl.
     */
    private int longestCachedPrefix(List<Segment> segments, String[] hashes) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (breakpointWithin(segments, i) && prefixes.get(hashes[i]) != null) {
                return i;
            }
        }
        return -1;
    }

    private static boolean breakpointWithin(List<Segment> segments, int block) {
        for (int i = block; i < segments.size() && i <= block + LOOKBACK_BLOCKS; i++) {
            if (segments.get(i).breakpointTtl() != null) {
                return true;
            }
        }
        return false;
    }

    /** Per block, a hash of the model and every block up to it: equal hashes, equal prefixes. */
    private static String[] prefixHashes(String model, List<Segment> segments) {
        MessageDigest digest = sha256();
        update(digest, model);
        String[] hashes = new String[segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            update(digest, segments.get(i).identity());
            try {
                hashes[i] = HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 digests of the JDK can be cloned", e);
            }
        }
        return hashes;
    }

    /** Length-prefixed, so that no two different block sequences hash alike by concatenation. */
    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a JDK requirement", e);
        }
    }
}
