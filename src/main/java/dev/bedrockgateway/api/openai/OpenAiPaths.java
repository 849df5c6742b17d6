package dev.bedrockgateway.api.openai;

/** Where OpenAI's endpoints are served: with and without the {@code /v1} prefix, as OpenAI's clients use both. */
final class OpenAiPaths {

    /** An optional {@code v1/} before an endpoint's path: {@code @Path(V1 + "chat/completions")}. */
    static final String V1 = "{v1: (v1/)?}";

    private OpenAiPaths() {
    }
}
