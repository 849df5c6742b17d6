package dev.bedrockgateway.translate;

import java.util.Base64;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;

/**
 * A {@code data:<media type>;base64,<data>} URL (https://www.rfc-editor.org/rfc/rfc2397), the form in which OpenAI
 * takes inline images ({@code image_url.url}) and files ({@code file.file_data}). The one reader of data URLs: each
 * caller words its own refusal of a URL that is not one, and names its field in the errors of {@link #decode}.
 *
 * @param mediaType what stands between {@code data:} and {@code ;base64}, parameters included; may be empty
 * @param data      the base64 text after the comma, not yet decoded
 */
public record DataUrl(String mediaType, String data) {

    private static final String PREFIX = "data:";
    private static final String BASE64 = ";base64";

    /** The parts of {@code url}; null when it is not a {@code data:} URL with base64 data. */
    public static DataUrl parse(String url) {
        int comma = url == null || !url.startsWith(PREFIX) ? -1 : url.indexOf(',');
        if (comma < 0) {
            return null;
        }
        String header = url.substring(PREFIX.length(), comma);
        if (!header.endsWith(BASE64)) {
            return null;
        }
        return new DataUrl(header.substring(0, header.length() - BASE64.length()), url.substring(comma + 1));
    }

    /** About how many bytes the data decodes to, known before decoding it. */
    public long approximateBytes() {
        return data.length() * 3L / 4;
    }

    /**
     * The decoded bytes. Strict: only the standard base64 alphabet and its padding are accepted, and line breaks,
     * which MIME encoders (e.g. Python's {@code base64.encodebytes}) put every 76 characters; any other character
     * (spaces, URL-safe {@code -} and {@code _}, stray punctuation) is an error rather than skipped, so that damaged
     * data is refused here instead of reaching the model as other bytes.
     *
     * @param param names the field in the 400
     * @param what  what the data is, for the message ({@code "Image data"})
     */
    public byte[] decode(String param, String what) {
        String text = data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0 ? data.replace("\r", "").replace("\n", "")
                : data;
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_VALUE, what + " is not valid base64.");
        }
    }
}
