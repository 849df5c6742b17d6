package dev.bedrockgateway.openai;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A message's {@code content}: a plain string, or an array of typed parts. */
@JsonDeserialize(using = MessageContent.Deserializer.class)
public sealed interface MessageContent {

    @RegisterForReflection
    record Text(String text) implements MessageContent {
    }

    @RegisterForReflection
    record Parts(List<ContentPart> parts) implements MessageContent {
    }

    final class Deserializer extends StdDeserializer<MessageContent> {

        public Deserializer() {
            super(MessageContent.class);
        }

        @Override
        public MessageContent deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return new Text(p.getText());
            }
            if (token == JsonToken.START_ARRAY) {
                JavaType listType = ctxt.getTypeFactory().constructCollectionType(List.class, ContentPart.class);
                List<ContentPart> parts = ctxt.readValue(p, listType);
                return new Parts(parts);
            }
            return (MessageContent) ctxt.handleUnexpectedToken(MessageContent.class, p);
        }
    }
}
