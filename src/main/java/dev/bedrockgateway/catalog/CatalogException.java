package dev.bedrockgateway.catalog;

/** A catalog file that cannot be served; the message names the file, the entry and the field. */
public class CatalogException extends RuntimeException {

    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
