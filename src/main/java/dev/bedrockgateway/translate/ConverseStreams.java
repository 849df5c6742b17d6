package dev.bedrockgateway.translate;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailStreamConfiguration;

/**
 * A Converse request as the same ConverseStream request: the two take the same fields under two types
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html). Every field is copied by
 * its name through the SDK's own field table, so a field a later SDK adds reaches streams without a change here; the
 * one field whose stream twin has another type (the guardrail) is mapped explicitly, and a Converse field without a
 * twin stops the class from loading rather than vanish from streams.
 */
public final class ConverseStreams {

    private static final String GUARDRAIL = "guardrailConfig";
    private static final List<SdkField<?>> FIELDS = ConverseRequest.builder().sdkFields();
    private static final Map<String, SdkField<?>> STREAM_FIELDS = ConverseStreamRequest.builder().sdkFields()
            .stream().collect(Collectors.toMap(SdkField::memberName, Function.identity()));

    static {
        for (SdkField<?> field : FIELDS) {
            if (!STREAM_FIELDS.containsKey(field.memberName())) {
                throw new IllegalStateException("ConverseStreamRequest has no field " + field.memberName());
            }
        }
    }

    private ConverseStreams() {
    }

    public static ConverseStreamRequest of(ConverseRequest request) {
        ConverseStreamRequest.Builder stream = ConverseStreamRequest.builder();
        for (SdkField<?> field : FIELDS) {
            Object value = field.getValueOrDefault(request);
            if (value == null) {
                continue;
            }
            if (GUARDRAIL.equals(field.memberName())) {
                stream.guardrailConfig(guardrail((GuardrailConfiguration) value));
            } else {
                STREAM_FIELDS.get(field.memberName()).set(stream, value);
            }
        }
        request.overrideConfiguration().ifPresent(stream::overrideConfiguration);
        return stream.build();
    }

    /** The stream's guardrail configuration adds a processing mode, left at Bedrock's default. */
    private static GuardrailStreamConfiguration guardrail(GuardrailConfiguration config) {
        return GuardrailStreamConfiguration.builder().guardrailIdentifier(config.guardrailIdentifier())
                .guardrailVersion(config.guardrailVersion()).trace(config.traceAsString()).build();
    }
}
