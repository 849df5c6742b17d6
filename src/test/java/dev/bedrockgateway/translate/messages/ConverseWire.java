package dev.bedrockgateway.translate.messages;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.client.config.SdkClientConfiguration;
import software.amazon.awssdk.core.client.config.SdkClientOption;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.protocols.json.AwsJsonProtocol;
import software.amazon.awssdk.protocols.json.AwsJsonProtocolFactory;
import software.amazon.awssdk.protocols.json.JsonOperationMetadata;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.transform.ConverseRequestMarshaller;
import software.amazon.awssdk.services.bedrockruntime.transform.ConverseStreamRequestMarshaller;

/**
 * Converse requests, responses and stream events as Bedrock has them on the wire, through the SDK's own restJson
 * marshallers and unmarshallers (configured as the generated client configures them), so that golden files hold the
 * exact bodies Bedrock receives and sends, with no server in between.
 */
final class ConverseWire {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final AwsJsonProtocolFactory PROTOCOL = AwsJsonProtocolFactory.builder()
            .clientConfiguration(SdkClientConfiguration.builder()
                    .option(SdkClientOption.ENDPOINT, URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"))
                    .build())
            .defaultServiceExceptionSupplier(BedrockRuntimeException::builder)
            .protocol(AwsJsonProtocol.REST_JSON).protocolVersion("1.1").build();
    private static final JsonOperationMetadata PAYLOAD = JsonOperationMetadata.builder()
            .hasStreamingSuccessResponse(false).isPayloadJson(true).build();

    private ConverseWire() {
    }

    /** The body the SDK sends for a Converse request. */
    static JsonNode body(ConverseRequest request) {
        return body(new ConverseRequestMarshaller(PROTOCOL).marshall(request));
    }

    /** The body the SDK sends for a ConverseStream request. */
    static JsonNode body(ConverseStreamRequest request) {
        return body(new ConverseStreamRequestMarshaller(PROTOCOL).marshall(request));
    }

    /** The path the SDK calls, which carries the model id. */
    static String path(ConverseRequest request) {
        return new ConverseRequestMarshaller(PROTOCOL).marshall(request).encodedPath();
    }

    static ConverseResponse response(String json) {
        return unmarshall(json, ConverseResponse::builder);
    }

    /** One ConverseStream event from its type ({@code messageStart}, {@code contentBlockDelta} ...) and payload. */
    static ConverseStreamOutput event(String type, String payload) {
        Supplier<SdkPojo> builder = switch (type) {
            case "messageStart" -> ConverseStreamOutput::messageStartBuilder;
            case "contentBlockStart" -> ConverseStreamOutput::contentBlockStartBuilder;
            case "contentBlockDelta" -> ConverseStreamOutput::contentBlockDeltaBuilder;
            case "contentBlockStop" -> ConverseStreamOutput::contentBlockStopBuilder;
            case "messageStop" -> ConverseStreamOutput::messageStopBuilder;
            case "metadata" -> ConverseStreamOutput::metadataBuilder;
            default -> throw new IllegalArgumentException("Unknown ConverseStream event " + type);
        };
        return unmarshall(payload, builder);
    }

    private static JsonNode body(SdkHttpFullRequest http) {
        try (InputStream in = http.contentStreamProvider().orElseThrow().newStream()) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T extends SdkPojo> T unmarshall(String json, Supplier<SdkPojo> builder) {
        SdkHttpFullResponse http = SdkHttpFullResponse.builder().statusCode(200)
                .putHeader("Content-Type", "application/json")
                .content(AbortableInputStream.create(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .build();
        try {
            return PROTOCOL.<T>createResponseHandler(PAYLOAD, builder).handle(http, new ExecutionAttributes());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read " + json, e);
        }
    }
}
