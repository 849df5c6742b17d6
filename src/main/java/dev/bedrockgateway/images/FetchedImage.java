package dev.bedrockgateway.images;

/**
 * An image fetched from a remote URL.
 *
 * @param bytes the body as received (not decoded or checked against the type; the translator does that)
 * @param type the image type the host declared
 */
public record FetchedImage(byte[] bytes, ImageType type) {
}
