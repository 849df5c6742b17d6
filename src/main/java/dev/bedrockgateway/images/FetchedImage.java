package dev.bedrockgateway.images;

/**
 * An image fetched from a remote URL.
 *
 * @param bytes the body as received (not decoded or checked against the type; the translator does that)
 * @param contentType the media type the image host declared, lower case and without parameters: one of
 *        {@code image/png}, {@code image/jpeg}, {@code image/gif}, {@code image/webp}
 */
public record FetchedImage(byte[] bytes, String contentType) {
}
