package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;

/**
 * {@link BedrockProtocol}: requests and answers in Bedrock's restJson1 form, through the SDK's own marshallers (the
 * wire shapes from https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html and
 * API_runtime_ConverseStream.html).
 */
class BedrockProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BedrockProtocol protocol = new BedrockProtocol();

    @Test
    void aConverseStreamRequestIsItsBodyWithTheModelIdInThePathOnly() throws Exception {
        BedrockRelay.Request request = protocol.converseStream(ConverseStreamRequest.builder()
                .modelId("arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude")
                .messages(m -> m.role("user").content(ContentBlock.fromText("Hi \"there\"")))
                .inferenceConfig(c -> c.maxTokens(10).temperature(0.5f)).build());

        assertEquals("converse-stream", request.operation());
        assertEquals("arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude",
                request.modelId());
        assertEquals("application/json", request.headers().get("Content-Type"));
        assertEquals(JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi \\\"there\\\"\"}]}],"
                + "\"inferenceConfig\":{\"maxTokens\":10,\"temperature\":0.5}}"), JSON.readTree(request.body()));
    }

    @Test
    void converseAnswersAndStreamEventsBecomeTheSdksObjects() {
        BedrockRelay.Request request = protocol.converse(ConverseRequest.builder().modelId("m")
                .messages(m -> m.role("user").content(ContentBlock.fromText("Hi"))).build());
        assertEquals("converse", request.operation());

        ConverseResponse answer = protocol.converseResponse(new BedrockRelay.Reply("application/json",
                Map.of("x-amzn-requestid", "req-1"), ("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":"
                        + "[{\"text\":\"Hello\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":3,"
                        + "\"outputTokens\":1,\"totalTokens\":4},\"metrics\":{\"latencyMs\":12}}")
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals("Hello", answer.output().message().content().get(0).text());
        assertEquals(StopReason.END_TURN, answer.stopReason());
        assertEquals(3, answer.usage().inputTokens());
        assertEquals("req-1", answer.responseMetadata().requestId());

        ConverseStreamOutput delta = protocol.converseStreamEvent(frame("contentBlockDelta",
                "{\"contentBlockIndex\":1,\"delta\":{\"text\":\"Hel\"},\"p\":\"abcd\"}"));
        assertInstanceOf(ContentBlockDeltaEvent.class, delta);
        assertEquals("Hel", ((ContentBlockDeltaEvent) delta).delta().text());
        assertEquals(1, ((ContentBlockDeltaEvent) delta).contentBlockIndex());

        ConverseStreamOutput metadata = protocol.converseStreamEvent(frame("metadata",
                "{\"usage\":{\"inputTokens\":5,\"outputTokens\":7,\"totalTokens\":12},\"metrics\":{\"latencyMs\":3}}"));
        assertEquals(7, ((ConverseStreamMetadataEvent) metadata).usage().outputTokens());

        // An event type newer than this SDK: the SDK client's UNKNOWN, which the translations skip.
        assertSame(ConverseStreamOutput.UNKNOWN, protocol.converseStreamEvent(frame("somethingNew", "{}")));
    }

    @Test
    void invokeModelSendsTheModelsOwnBodyAndReadsItsOwnAnswer() {
        byte[] body = "{\"inputText\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
        BedrockRelay.Request request = protocol.invokeModel(InvokeModelRequest.builder().modelId("amazon.titan")
                .contentType("application/json").accept("application/json").body(SdkBytes.fromByteArray(body))
                .build());
        assertEquals("invoke", request.operation());
        assertArrayEquals(body, request.body());
        assertEquals("application/json", request.headers().get("Content-Type"));
        assertEquals("application/json", request.headers().get("Accept"));

        InvokeModelResponse answer = protocol.invokeModelResponse(new BedrockRelay.Reply("application/json",
                Map.of("x-amzn-bedrock-input-token-count", "2"), "{\"embedding\":[0.5]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("{\"embedding\":[0.5]}", answer.body().asUtf8String());
        assertEquals("application/json", answer.contentType());
        assertEquals("2", answer.sdkHttpResponse().firstMatchingHeader("x-amzn-bedrock-input-token-count").orElse(null));

        assertEquals("invoke-with-response-stream", protocol.invokeModelStream(InvokeModelWithResponseStreamRequest
                .builder().modelId("m").body(SdkBytes.fromByteArray(body)).build()).operation());
        ResponseStream chunk = protocol.invokeModelStreamEvent(frame("chunk", "{\"bytes\":\""
                + Base64.getEncoder().encodeToString("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)) + "\"}"));
        assertEquals("{\"type\":\"ping\"}", ((PayloadPart) chunk).bytes().asUtf8String());
    }

    private static EventFrame frame(String eventType, String payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(EventFrame.MESSAGE_TYPE, HeaderValue.fromString("event"));
        headers.put(EventFrame.EVENT_TYPE, HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        return new EventFrame(Buffer.buffer(), new Message(headers, payload.getBytes(StandardCharsets.UTF_8)));
    }
}
