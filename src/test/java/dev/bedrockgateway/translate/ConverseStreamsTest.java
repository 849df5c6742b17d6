package dev.bedrockgateway.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTrace;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.PerformanceConfigLatency;
import software.amazon.awssdk.services.bedrockruntime.model.PromptVariableValues;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/** A Converse request and its ConverseStream twin carry the same fields: none may vanish from streams. */
class ConverseStreamsTest {

    /** Regression: the stream request was built by copying six fields by hand; a seventh never reached streams. */
    @Test
    void everyFieldOfAConverseRequestReachesTheStreamRequest() {
        ConverseRequest request = ConverseRequest.builder()
                .modelId("anthropic.claude-3-haiku-20240307-v1:0")
                .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Hi")).build())
                .system(SystemContentBlock.fromText("Be brief."))
                .inferenceConfig(c -> c.maxTokens(5).temperature(0.5f).topP(0.9f).stopSequences("END"))
                .toolConfig(t -> t.tools(tool -> tool.toolSpec(s -> s.name("f")
                        .inputSchema(i -> i.json(Document.fromMap(Map.of("type", Document.fromString("object"))))))))
                .guardrailConfig(g -> g.guardrailIdentifier("gr-1").guardrailVersion("2").trace(GuardrailTrace.ENABLED))
                .additionalModelRequestFields(Document.fromMap(Map.of("top_k", Document.fromNumber(5))))
                .promptVariables(Map.of("name", PromptVariableValues.fromText("x")))
                .additionalModelResponseFieldPaths("/stop_sequence")
                .requestMetadata(Map.of("team", "a"))
                .performanceConfig(p -> p.latency(PerformanceConfigLatency.OPTIMIZED))
                .serviceTier(s -> s.type("priority"))
                .outputConfig(o -> o.textFormat(f -> f.type("json_schema")))
                .build();
        for (SdkField<?> field : request.sdkFields()) {
            assertTrue(field.getValueOrDefault(request) != null, "the test sets " + field.memberName());
        }

        ConverseStreamRequest stream = ConverseStreams.of(request);

        Map<String, SdkField<?>> streamFields = stream.sdkFieldNameToField();
        for (SdkField<?> field : request.sdkFields()) {
            Object streamed = streamFields.get(field.memberName()).getValueOrDefault(stream);
            if (field.memberName().equals("guardrailConfig")) {
                assertEquals("gr-1", stream.guardrailConfig().guardrailIdentifier());
                assertEquals("2", stream.guardrailConfig().guardrailVersion());
                assertEquals(GuardrailTrace.ENABLED, stream.guardrailConfig().trace());
            } else {
                assertEquals(field.getValueOrDefault(request), streamed, field.memberName());
            }
        }
    }

    @Test
    void unsetListsStayUnset() {
        ConverseStreamRequest stream = ConverseStreams.of(ConverseRequest.builder().modelId("m")
                .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Hi")).build())
                .build());
        assertFalse(stream.hasSystem());
        assertFalse(stream.hasPromptVariables());
        assertEquals(List.of(), stream.system());
    }

    /** A later SDK that adds a field of another type to one of the two requests fails here, not silently in streams. */
    @Test
    void everyConverseFieldHasAStreamTwinOfTheSameTypeButTheGuardrail() throws Exception {
        for (SdkField<?> field : ConverseRequest.builder().sdkFields()) {
            String getter = field.memberName();
            Method converse = ConverseRequest.class.getMethod(getter);
            Method streamed = ConverseStreamRequest.class.getMethod(getter);
            if (!field.memberName().equals("guardrailConfig")) {
                assertEquals(converse.getGenericReturnType(), streamed.getGenericReturnType(), field.memberName());
            }
        }
    }
}
