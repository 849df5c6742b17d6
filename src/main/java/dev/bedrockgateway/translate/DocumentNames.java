package dev.bedrockgateway.translate;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code name}s of a request's Converse document blocks, made from what the client called its documents (a
 * title, a file name). Converse allows only ASCII letters and digits, single whitespace characters, hyphens,
 * parentheses and square brackets, 1 to 200 of them, and refuses a request in which two documents share a name
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html: "Messages can't contain
 * duplicate document names"). Other characters become a space, runs of spaces one; what is left empty becomes {@code
 * document-N} (N counting the request's documents); a name already used gets {@code " (2)"}, {@code " (3)"}...
 * AWS warns that the name reaches the model and can carry a prompt injection: the reduction removes markup and
 * punctuation, not words, so a client that takes names from its own users' files should choose neutral ones.
 *
 * <p>Per-request state: one instance per translated request.
 */
public final class DocumentNames {

    private static final int MAX_LENGTH = 200;

    /** Names in lower case: Bedrock does not document how it compares names, and one more suffix costs nothing. */
    private final Set<String> used = new HashSet<>();

    /** A valid name, unique within the request, for a document the client calls {@code given} (null: nothing). */
    public String next(String given) {
        String base = reduced(given);
        if (base.isEmpty()) {
            base = "document-" + (used.size() + 1);
        }
        String name = base;
        for (int n = 2; !used.add(name.toLowerCase(Locale.ROOT)); n++) {
            String suffix = " (" + n + ")";
            name = base.substring(0, Math.min(base.length(), MAX_LENGTH - suffix.length())).stripTrailing() + suffix;
        }
        return name;
    }

    private static String reduced(String given) {
        StringBuilder name = new StringBuilder();
        if (given != null) {
            for (int i = 0; i < given.length() && name.length() < MAX_LENGTH; i++) {
                char c = given.charAt(i);
                if (c < 128 && Character.isLetterOrDigit(c) || c == '-' || c == '(' || c == ')' || c == '['
                        || c == ']') {
                    name.append(c);
                } else if (name.length() > 0 && name.charAt(name.length() - 1) != ' ') {
                    name.append(' ');
                }
            }
        }
        return name.toString().trim();
    }
}
