package dev.bedrockgateway.translate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.bedrockgateway.images.ImageType;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;

/**
 * The document formats Bedrock's Converse API takes, each with the media types and the file name extension that name
 * it (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html), for clients that
 * send files of any type (OpenAI's {@code file} parts). Anthropic's document blocks take only PDF and plain text, and
 * {@code messages/Attachments} checks those two itself.
 */
public enum DocumentType {

    PDF(DocumentFormat.PDF, List.of("pdf"), List.of("application/pdf")),
    CSV(DocumentFormat.CSV, List.of("csv"), List.of("text/csv", "application/csv")),
    DOC(DocumentFormat.DOC, List.of("doc"), List.of("application/msword")),
    DOCX(DocumentFormat.DOCX, List.of("docx"),
            List.of("application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
    XLS(DocumentFormat.XLS, List.of("xls"), List.of("application/vnd.ms-excel")),
    XLSX(DocumentFormat.XLSX, List.of("xlsx"),
            List.of("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
    HTML(DocumentFormat.HTML, List.of("html", "htm"), List.of("text/html")),
    TXT(DocumentFormat.TXT, List.of("txt"), List.of("text/plain")),
    MD(DocumentFormat.MD, List.of("md", "markdown"), List.of("text/markdown", "text/x-markdown"));

    /** How the supported types are listed in messages: each type's main media type, with its extension. */
    public static final String SUPPORTED = Arrays.stream(values())
            .map(type -> type.mediaTypes.get(0) + " (." + type.extensions.get(0) + ")")
            .collect(Collectors.joining(", "));

    /**
     * Media types that say nothing about the content: a file sent with one of them is known by its name's extension.
     * An empty media type ({@code data:;base64,...}) is one of them: RFC 2397 reads it as {@code text/plain}, but
     * clients that leave it out mostly do not know the type, and a PDF is not plain text.
     */
    private static final Set<String> GENERIC = Set.of("", "application/octet-stream", "binary/octet-stream",
            "application/binary", "application/unknown");

    private final DocumentFormat format;
    private final List<String> extensions;
    private final List<String> mediaTypes;

    DocumentType(DocumentFormat format, List<String> extensions, List<String> mediaTypes) {
        this.format = format;
        this.extensions = extensions;
        this.mediaTypes = mediaTypes;
    }

    public DocumentFormat format() {
        return format;
    }

    /** The type a media type names, ignoring case and parameters ({@code text/plain; charset=utf-8}). */
    public static Optional<DocumentType> ofMediaType(String mediaType) {
        String bare = ImageType.bare(mediaType);
        return Arrays.stream(values()).filter(type -> type.mediaTypes.contains(bare)).findFirst();
    }

    /** Whether a media type says nothing about the content, so that the file's name must tell its type. */
    public static boolean isGeneric(String mediaType) {
        return GENERIC.contains(ImageType.bare(mediaType));
    }

    /** The type a file name's extension names, ignoring case ({@code Report.PDF}). */
    public static Optional<DocumentType> ofFileName(String fileName) {
        int dot = fileName == null ? -1 : fileName.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String extension = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(type -> type.extensions.contains(extension)).findFirst();
    }
}
