package dev.bedrockgateway.translate.chat;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ContentPart;
import dev.bedrockgateway.translate.DataUrl;
import dev.bedrockgateway.translate.DocumentNames;
import dev.bedrockgateway.translate.DocumentType;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;

/**
 * {@code file} parts ({@code {"type":"file","file":{"file_data":"data:application/pdf;base64,...","filename":...}}},
 * https://platform.openai.com/docs/guides/pdf-files?api-mode=chat) -> Converse document blocks
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html).
 * <ul>
 * <li>{@code file_data} must be a base64 data URL. OpenAI's reference only says "the base64 encoded file data", but its
 * guide shows the data URL, and OpenAI itself refuses bare base64 ("Expected a base64-encoded data URL"): so does the
 * gateway, which also needs the media type to choose the format.</li>
 * <li>The format comes from the media type ({@link DocumentType}); when that is generic ({@code
 * application/octet-stream}) from the extension of {@code filename}.</li>
 * <li>{@code name} is {@code filename} without its directory and extension, made valid and unique by
 * {@link DocumentNames}.</li>
 * <li>{@code file_id} names an upload to OpenAI's Files API, which the gateway does not have: refused.</li>
 * </ul>
 * The size of a file is bounded by the request body limit ({@code gateway.limits.max-request-bytes}); Bedrock's own
 * limit per document is its to enforce (a 400 ValidationException), as it differs by model.
 */
final class Files {

    private static final String SUPPORTED = "Amazon Bedrock takes documents of these types: "
            + DocumentType.SUPPORTED + ".";

    private Files() {
    }

    static DocumentBlock toDocument(ContentPart.FilePart part, String at, DocumentNames names) {
        String fileAt = at + ".file";
        ContentPart.FileObject file = part.file();
        if (file == null) {
            throw OpenAiException.invalidRequest(fileAt, "'file' is required for content parts of type 'file'.");
        }
        if (file.fileId() != null) {
            throw OpenAiException.invalidRequest(fileAt + ".file_id", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "'file_id' refers to OpenAI's Files API, which bedrock-gateway does not have; send the file"
                            + " inline as 'file_data': data:<media type>;base64,<data>.");
        }
        String dataAt = fileAt + ".file_data";
        if (file.fileData() == null) {
            throw OpenAiException.invalidRequest(dataAt, "'file.file_data' is required: the file as a base64 data URL"
                    + " (data:<media type>;base64,<data>).");
        }
        DataUrl url = DataUrl.parse(file.fileData());
        if (url == null) {
            throw OpenAiException.invalidRequest(dataAt, ErrorTypes.CODE_INVALID_VALUE, "Invalid file data: expected"
                    + " a base64-encoded data URL such as 'data:application/pdf;base64,JVBERi0...'.");
        }
        DocumentType type = type(url.mediaType(), file.filename(), dataAt);
        byte[] bytes = url.decode(dataAt, "File data");
        if (bytes.length == 0) {
            throw OpenAiException.invalidRequest(dataAt, ErrorTypes.CODE_INVALID_VALUE, "File data is empty.");
        }
        return DocumentBlock.builder()
                .format(type.format())
                .name(names.next(baseName(file.filename())))
                .source(DocumentSource.fromBytes(SdkBytes.fromByteArrayUnsafe(bytes)))
                .build();
    }

    private static DocumentType type(String mediaType, String filename, String dataAt) {
        if (!DocumentType.isGeneric(mediaType)) {
            return DocumentType.ofMediaType(mediaType).orElseThrow(() -> OpenAiException.invalidRequest(dataAt,
                    ErrorTypes.CODE_INVALID_VALUE, "File type '" + mediaType + "' is not supported; " + SUPPORTED));
        }
        return DocumentType.ofFileName(filename).orElseThrow(() -> OpenAiException.invalidRequest(dataAt,
                ErrorTypes.CODE_INVALID_VALUE, "The type of a file with "
                        + (mediaType.isEmpty() ? "no media type" : "media type '" + mediaType + "'")
                        + (filename == null ? " and no filename" : " and filename '" + filename + "'")
                        + " is unknown; " + SUPPORTED));
    }

    /** {@code filename} without directories and extension: {@code C:\docs\Q3 report.pdf} -> {@code Q3 report}. */
    private static String baseName(String filename) {
        if (filename == null) {
            return null;
        }
        String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }
}
