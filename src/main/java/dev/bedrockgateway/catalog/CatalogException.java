package dev.bedrockgateway.catalog;

import java.util.List;

/**
 * A catalog file that cannot be served. It carries every error found in the file, one message each, each naming the
 * file, the entry and the field, what is wrong and what is allowed; {@link #getMessage()} is those messages, one a
 * line.
 */
public class CatalogException extends RuntimeException {

    private final List<String> errors;

    public CatalogException(String message) {
        this(List.of(message));
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
        this.errors = List.of(message);
    }

    public CatalogException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    /** The errors, in the order of the file. */
    public List<String> errors() {
        return errors;
    }
}
