package dev.bedrockgateway.images;

/** A fetched image: its bytes and its content type without parameters, lower case (e.g. {@code image/png}). */
public record FetchedImage(byte[] bytes, String contentType) {
}
