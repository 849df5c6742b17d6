package dev.bedrockgateway.responses;

/**
 * A response kept for {@code previous_response_id}, {@code GET /v1/responses/{id}} and its {@code input_items}.
 *
 * @param id {@code resp_...}
 * @param owner the key that made it ({@code Caller.keyId()}, or {@code anonymous}): nobody else sees it
 * @param createdAt epoch seconds
 * @param response the {@code response} object as the client got it (JSON)
 * @param inputItems this request's input items, each with its {@code id}, oldest first (a JSON array)
 * @param context the conversation the next response continues from (a JSON array of items in the gateway's own form:
 *        the earlier context, this input and this output, reasoning sealed), without {@code instructions}
 */
public record StoredResponse(String id, String owner, long createdAt, byte[] response, byte[] inputItems,
        byte[] context) {

    /** What the response holds in bytes, the weight of the in-memory store's bound. */
    public int weight() {
        return response.length + inputItems.length + context.length + id.length() + owner.length();
    }
}
