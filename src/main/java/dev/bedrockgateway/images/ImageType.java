package dev.bedrockgateway.images;

import java.util.Locale;
import java.util.Optional;

import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;

/**
 * The image types Bedrock's Converse API takes, each with its media type and the leading bytes that identify it
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageBlock.html). The one table of image
 * types: data URLs, fetched images and the checks of declared type against the bytes all use it.
 */
public enum ImageType {

    PNG("image/png", ImageFormat.PNG),
    JPEG("image/jpeg", ImageFormat.JPEG),
    GIF("image/gif", ImageFormat.GIF),
    WEBP("image/webp", ImageFormat.WEBP);

    /** How the supported types are listed in messages and {@code Accept} headers. */
    public static final String SUPPORTED = "image/png, image/jpeg, image/gif, image/webp";

    private final String mediaType;
    private final ImageFormat format;

    ImageType(String mediaType, ImageFormat format) {
        this.mediaType = mediaType;
        this.format = format;
    }

    public String mediaType() {
        return mediaType;
    }

    public ImageFormat format() {
        return format;
    }

    /**
     * The type a media type names, ignoring case and parameters ({@code image/JPEG; q=1}); {@code image/jpg}, which
     * browsers and some hosts send, counts as JPEG.
     */
    public static Optional<ImageType> ofMediaType(String mediaType) {
        return switch (bare(mediaType)) {
            case "image/png" -> Optional.of(PNG);
            case "image/jpeg", "image/jpg" -> Optional.of(JPEG);
            case "image/gif" -> Optional.of(GIF);
            case "image/webp" -> Optional.of(WEBP);
            default -> Optional.empty();
        };
    }

    /** A media type without its parameters, in lower case; empty for none. */
    public static String bare(String mediaType) {
        if (mediaType == null) {
            return "";
        }
        int semicolon = mediaType.indexOf(';');
        return (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** The type the bytes are, from their signature; empty when they are none of these. */
    public static Optional<ImageType> detect(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8')) {
            return Optional.of(GIF);
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int offset, int... expected) {
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
