package dev.bedrockgateway.bedrock;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.awscore.eventstream.EventStreamTaggedUnionPojoSupplier;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkPojoBuilder;
import software.amazon.awssdk.core.client.config.SdkClientConfiguration;
import software.amazon.awssdk.core.client.config.SdkClientOption;
import software.amazon.awssdk.core.client.handler.AttachHttpMetadataResponseHandler;
import software.amazon.awssdk.core.http.HttpResponseHandler;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
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
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;
import software.amazon.awssdk.services.bedrockruntime.transform.ConverseRequestMarshaller;
import software.amazon.awssdk.services.bedrockruntime.transform.ConverseStreamRequestMarshaller;
import software.amazon.awssdk.services.bedrockruntime.transform.CountTokensRequestMarshaller;
import software.amazon.awssdk.services.bedrockruntime.transform.InvokeModelRequestMarshaller;
import software.amazon.awssdk.services.bedrockruntime.transform.InvokeModelWithResponseStreamRequestMarshaller;

/**
 * Bedrock's runtime operations in their wire form (restJson1), written and read by the SDK's own generated
 * marshallers and unmarshallers, for the calls {@link BedrockInvoker} sends through {@link BedrockRelay}'s transport
 * instead of the SDK client's request pipeline. The SDK client builds these same handlers for every call and adds a
 * dozen stages around them (interceptors, endpoint rules, auth scheme resolution, metrics, its event-stream
 * publishers); a ConverseStream spent about 0.5 ms of CPU there before its request left
 * (docs/performance/investigations.md). What is kept is exactly what makes the bytes: the request body as the SDK
 * serializes it, and each answer or event as the SDK deserializes it into its model classes, so the translations
 * read the same objects either way.
 *
 * <p>The marshallers and handler factories are the SDK's {@code @SdkInternalApi}, the very code its generated client
 * calls, and they move with the SDK's version ({@code awssdk.version} in the pom): an SDK upgrade is checked by
 * {@code BedrockProtocolTest} and the suites behind it, which go through this class for every Bedrock call.
 */
final class BedrockProtocol {

    /** An answer or event whose body is JSON members; InvokeModel's is a blob, its other members headers. */
    private static final JsonOperationMetadata JSON = JsonOperationMetadata.builder()
            .hasStreamingSuccessResponse(false).isPayloadJson(true).build();
    private static final JsonOperationMetadata BLOB = JsonOperationMetadata.builder()
            .hasStreamingSuccessResponse(false).isPayloadJson(false).build();

    private final ConverseRequestMarshaller converse;
    private final ConverseStreamRequestMarshaller converseStream;
    private final InvokeModelRequestMarshaller invokeModel;
    private final InvokeModelWithResponseStreamRequestMarshaller invokeModelStream;
    private final CountTokensRequestMarshaller countTokens;
    private final HttpResponseHandler<ConverseResponse> converseResponse;
    private final HttpResponseHandler<InvokeModelResponse> invokeModelResponse;
    private final HttpResponseHandler<CountTokensResponse> countTokensResponse;
    private final HttpResponseHandler<SdkPojo> converseStreamEvent;
    private final HttpResponseHandler<SdkPojo> invokeModelStreamEvent;

    BedrockProtocol() {
        // The endpoint only fills the marshalled request's URI, which is not used: the relay builds its own.
        AwsJsonProtocolFactory protocol = AwsJsonProtocolFactory.builder()
                .clientConfiguration(SdkClientConfiguration.builder()
                        .option(SdkClientOption.ENDPOINT, URI.create("https://bedrock-runtime.invalid")).build())
                .defaultServiceExceptionSupplier(BedrockRuntimeException::builder)
                .protocol(AwsJsonProtocol.REST_JSON).protocolVersion("1.1").build();
        this.converse = new ConverseRequestMarshaller(protocol);
        this.converseStream = new ConverseStreamRequestMarshaller(protocol);
        this.invokeModel = new InvokeModelRequestMarshaller(protocol);
        this.invokeModelStream = new InvokeModelWithResponseStreamRequestMarshaller(protocol);
        this.countTokens = new CountTokensRequestMarshaller(protocol);
        // The answers' HTTP metadata (the SDK's sdkHttpResponse(), responseMetadata()) is attached as the client does.
        this.converseResponse = new AttachHttpMetadataResponseHandler<>(
                protocol.createResponseHandler(JSON, ConverseResponse::builder));
        this.invokeModelResponse = new AttachHttpMetadataResponseHandler<>(
                protocol.createResponseHandler(BLOB, InvokeModelResponse::builder));
        this.countTokensResponse = new AttachHttpMetadataResponseHandler<>(
                protocol.createResponseHandler(JSON, CountTokensResponse::builder));
        // The streams' event unions, as the SDK client registers them: an event type it does not know becomes the
        // union's UNKNOWN, as it would from the client.
        this.invokeModelStreamEvent = protocol.createResponseHandler(JSON, EventStreamTaggedUnionPojoSupplier.builder()
                .putSdkPojoSupplier("chunk", ResponseStream::chunkBuilder)
                .defaultSdkPojoSupplier(() -> new SdkPojoBuilder(ResponseStream.UNKNOWN)).build());
        this.converseStreamEvent = protocol.createResponseHandler(JSON, EventStreamTaggedUnionPojoSupplier.builder()
                .putSdkPojoSupplier("messageStart", ConverseStreamOutput::messageStartBuilder)
                .putSdkPojoSupplier("contentBlockStart", ConverseStreamOutput::contentBlockStartBuilder)
                .putSdkPojoSupplier("contentBlockDelta", ConverseStreamOutput::contentBlockDeltaBuilder)
                .putSdkPojoSupplier("contentBlockStop", ConverseStreamOutput::contentBlockStopBuilder)
                .putSdkPojoSupplier("messageStop", ConverseStreamOutput::messageStopBuilder)
                .putSdkPojoSupplier("metadata", ConverseStreamOutput::metadataBuilder)
                .defaultSdkPojoSupplier(() -> new SdkPojoBuilder(ConverseStreamOutput.UNKNOWN)).build());
    }

    /** Converse's request as the relay sends it. */
    BedrockRelay.Request converse(ConverseRequest request) {
        return relayed("converse", request.modelId(), converse.marshall(request));
    }

    /** ConverseStream's request as the relay sends it. */
    BedrockRelay.Request converseStream(ConverseStreamRequest request) {
        return relayed("converse-stream", request.modelId(), converseStream.marshall(request));
    }

    /** InvokeModel's request (the body is the model family's own, sent as given). */
    BedrockRelay.Request invokeModel(InvokeModelRequest request) {
        return relayed("invoke", request.modelId(), invokeModel.marshall(request));
    }

    /** InvokeModelWithResponseStream's request. */
    BedrockRelay.Request invokeModelStream(InvokeModelWithResponseStreamRequest request) {
        return relayed("invoke-with-response-stream", request.modelId(), invokeModelStream.marshall(request));
    }

    /** CountTokens' request. */
    BedrockRelay.Request countTokens(CountTokensRequest request) {
        return relayed("count-tokens", request.modelId(), countTokens.marshall(request));
    }

    /**
     * The 2xx answers, as the SDK client would have returned them: their response metadata included, and the
     * headers Bedrock's answer carries ({@code x-amzn-bedrock-*}) in {@code sdkHttpResponse()}.
     */
    ConverseResponse converseResponse(BedrockRelay.Reply reply) {
        return handle(converseResponse, headers(reply), reply.body());
    }

    InvokeModelResponse invokeModelResponse(BedrockRelay.Reply reply) {
        return handle(invokeModelResponse, headers(reply), reply.body());
    }

    CountTokensResponse countTokensResponse(BedrockRelay.Reply reply) {
        return handle(countTokensResponse, headers(reply), reply.body());
    }

    /** One event frame of ConverseStream as the SDK client would have handed it over. */
    ConverseStreamOutput converseStreamEvent(EventFrame frame) {
        return (ConverseStreamOutput) handle(converseStreamEvent, headers(frame), frame.payload());
    }

    /** One event frame of InvokeModelWithResponseStream (a {@code chunk} of the model's own stream). */
    ResponseStream invokeModelStreamEvent(EventFrame frame) {
        return (ResponseStream) handle(invokeModelStreamEvent, headers(frame), frame.payload());
    }

    private static Map<String, List<String>> headers(BedrockRelay.Reply reply) {
        Map<String, List<String>> headers = new HashMap<>();
        reply.headers().forEach((name, value) -> headers.put(name, List.of(value)));
        headers.put("Content-Type", List.of(reply.contentType()));
        return headers;
    }

    private static Map<String, List<String>> headers(EventFrame frame) {
        Map<String, List<String>> headers = new HashMap<>();
        for (Map.Entry<String, HeaderValue> header : frame.message().getHeaders().entrySet()) {
            headers.put(header.getKey(), List.of(header.getValue().getString()));
        }
        return headers;
    }

    private static <T> T handle(HttpResponseHandler<T> handler, Map<String, List<String>> headers, byte[] body) {
        SdkHttpFullResponse response = SdkHttpFullResponse.builder().statusCode(200).headers(headers)
                .content(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
        try {
            return handler.handle(response, new ExecutionAttributes());
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private static BedrockRelay.Request relayed(String operation, String modelId, SdkHttpFullRequest marshalled) {
        Map<String, String> headers = new HashMap<>();
        marshalled.forEachHeader((name, values) -> {
            if (!values.isEmpty() && !name.equalsIgnoreCase("Content-Length")) {
                headers.put(name, values.get(0));
            }
        });
        return new BedrockRelay.Request(operation, modelId, body(marshalled), headers);
    }

    private static byte[] body(SdkHttpFullRequest marshalled) {
        ContentStreamProvider content = marshalled.contentStreamProvider().orElse(null);
        if (content == null) {
            return new byte[0];
        }
        try (InputStream in = content.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
