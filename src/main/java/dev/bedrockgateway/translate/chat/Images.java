package dev.bedrockgateway.translate.chat;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.images.FetchedImage;
import dev.bedrockgateway.images.ImageType;
import dev.bedrockgateway.images.RemoteImage;
import dev.bedrockgateway.openai.ContentPart;
import dev.bedrockgateway.translate.DataUrl;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;

/**
 * {@code image_url} parts -> Converse image blocks: {@code data:image/...;base64,...} URLs at once, other URLs once the
 * gateway fetched them. Either way the declared type must match the bytes.
 */
final class Images {

    /** Bedrock's limit for one image (3.75 MB); remote images are limited by {@code gateway.images.max-bytes}. */
    static final int MAX_IMAGE_BYTES = 3_932_160;

    private Images() {
    }

    /** An image part whose URL is not a data URL: it must be fetched. */
    static RemoteImage remote(ContentPart.ImagePart part, String at) {
        String url = url(part, at);
        return url.startsWith("data:") ? null : new RemoteImage(url, at + ".image_url.url");
    }

    /** The image of a {@code data:} URL. */
    static ImageBlock fromDataUrl(ContentPart.ImagePart part, String at) {
        String urlAt = at + ".image_url.url";
        DataUrl url = DataUrl.parse(url(part, at));
        if (url == null) {
            throw OpenAiException.invalidRequest(urlAt, ErrorTypes.CODE_INVALID_VALUE,
                    "Image data URLs must be base64 encoded: data:image/<type>;base64,<data>.");
        }
        long approximateBytes = url.approximateBytes();
        if (approximateBytes > MAX_IMAGE_BYTES + 3) {
            throw OpenAiException.invalidRequest(urlAt, "image_too_large", "The image is about " + approximateBytes
                    + " bytes; Bedrock takes images of at most " + MAX_IMAGE_BYTES + " bytes (3.75 MB).");
        }
        byte[] bytes = url.decode(urlAt, "Image data");
        String mime = url.mediaType();
        ImageType declared = ImageType.ofMediaType(mime).orElseThrow(() -> OpenAiException.invalidRequest(urlAt,
                ErrorTypes.CODE_INVALID_VALUE, "Image type '" + mime + "' is not supported; use "
                        + ImageType.SUPPORTED + "."));
        return block(declared, mime, bytes, urlAt);
    }

    /** A fetched image, checked against the type its host declared. */
    static ImageBlock fromFetched(FetchedImage image, RemoteImage ref) {
        return block(image.type(), image.type().mediaType(), image.bytes(), ref.param());
    }

    private static String url(ContentPart.ImagePart part, String at) {
        if (part.imageUrl() == null || part.imageUrl().url() == null) {
            throw OpenAiException.invalidRequest(at + ".image_url.url", "'image_url.url' is required.");
        }
        return part.imageUrl().url();
    }

    private static ImageBlock block(ImageType declared, String mime, byte[] bytes, String urlAt) {
        ImageType actual = ImageType.detect(bytes).orElse(null);
        if (actual != declared) {
            throw OpenAiException.invalidRequest(urlAt, ErrorTypes.CODE_INVALID_VALUE, "Image data is not a " + mime
                    + " image" + (actual == null ? "." : " (it is " + actual.format() + ")."));
        }
        return ImageBlock.builder().format(declared.format())
                .source(ImageSource.fromBytes(SdkBytes.fromByteArrayUnsafe(bytes))).build();
    }
}
