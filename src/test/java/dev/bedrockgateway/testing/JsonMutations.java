package dev.bedrockgateway.testing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A valid request with one field or element after another replaced by a value of the wrong type or shape (or removed),
 * for the fuzz tests of each API: a fixed share of the combinations, the same ones every run.
 */
public final class JsonMutations {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonMutations() {
    }

    /**
     * @param oneIn one combination of a field and an odd value in this many is kept
     * @param seed picks them, the same every run
     */
    public static List<String> of(ObjectNode base, int oneIn, long seed) {
        List<Object[]> count = new ArrayList<>();
        paths(base, count);
        List<String> bodies = new ArrayList<>();
        Random random = new Random(seed);
        for (int p = 0; p < count.size(); p++) {
            for (JsonNode odd : oddValues()) {
                if (random.nextInt(oneIn) != 0) {
                    continue;
                }
                ObjectNode copy = base.deepCopy();
                List<Object[]> paths = new ArrayList<>();
                paths(copy, paths);
                Object[] target = paths.get(p);
                if (target[0] instanceof ObjectNode object) {
                    if (odd.isNull() && random.nextBoolean()) {
                        object.remove((String) target[1]);
                    } else {
                        object.set((String) target[1], odd);
                    }
                } else {
                    ((ArrayNode) target[0]).set((Integer) target[1], odd);
                }
                bodies.add(copy.toString());
            }
        }
        return bodies;
    }

    /** Every path to a field or element of {@code node}, with the node holding it. */
    private static void paths(JsonNode node, List<Object[]> out) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                out.add(new Object[] {object, field.getKey()});
                paths(field.getValue(), out);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                out.add(new Object[] {array, i});
                paths(array.get(i), out);
            }
        }
    }

    private static JsonNode[] oddValues() {
        return new JsonNode[] {NODES.nullNode(), NODES.textNode(""), NODES.textNode("x"), NODES.numberNode(-1),
            NODES.numberNode(1e300), NODES.numberNode(2.5), NODES.booleanNode(true), NODES.objectNode(),
            NODES.arrayNode(), NODES.arrayNode().add(NODES.nullNode()), NODES.objectNode().put("type", "mystery")};
    }
}
