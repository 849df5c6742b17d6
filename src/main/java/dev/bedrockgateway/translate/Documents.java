package dev.bedrockgateway.translate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/**
 * Jackson trees <-> the SDK's {@link Document}, the type Converse uses for JSON it does not model (tool input
 * schemas, tool call arguments, additional model fields).
 */
public final class Documents {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Documents() {
    }

    public static Document fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Document.fromNull();
        }
        if (node.isObject()) {
            Map<String, Document> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), fromJson(e.getValue()));
            }
            return Document.fromMap(map);
        }
        if (node.isArray()) {
            List<Document> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(fromJson(item)));
            return Document.fromList(list);
        }
        if (node.isBoolean()) {
            return Document.fromBoolean(node.booleanValue());
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? Document.fromNumber(node.longValue())
                    : Document.fromNumber(node.bigIntegerValue());
        }
        if (node.isNumber()) {
            return Document.fromNumber(node.decimalValue());
        }
        return Document.fromString(node.asText());
    }

    public static JsonNode toJson(Document doc) {
        if (doc == null || doc.isNull()) {
            return NODES.nullNode();
        }
        if (doc.isMap()) {
            ObjectNode object = NODES.objectNode();
            doc.asMap().forEach((k, v) -> object.set(k, toJson(v)));
            return object;
        }
        if (doc.isList()) {
            ArrayNode array = NODES.arrayNode();
            doc.asList().forEach(v -> array.add(toJson(v)));
            return array;
        }
        if (doc.isBoolean()) {
            return NODES.booleanNode(doc.asBoolean());
        }
        if (doc.isNumber()) {
            SdkNumber n = doc.asNumber();
            String text = n.stringValue();
            if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
                return NODES.numberNode(n.bigDecimalValue().toBigIntegerExact());
            }
            return NODES.numberNode(n.bigDecimalValue());
        }
        return NODES.textNode(doc.asString());
    }
}
