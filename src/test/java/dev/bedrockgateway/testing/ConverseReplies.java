package dev.bedrockgateway.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** Bedrock Converse responses as Bedrock writes them on the wire, for stubbing the stand-in. */
public final class ConverseReplies {

    private ConverseReplies() {
    }

    public static ResponseDefinitionBuilder text(String text, String stopReason, int inputTokens, int outputTokens) {
        return json("""
                {"output":{"message":{"role":"assistant","content":[{"text":%s}]}},
                 "stopReason":"%s",
                 "usage":{"inputTokens":%d,"outputTokens":%d,"totalTokens":%d},
                 "metrics":{"latencyMs":12}}
                """.formatted(quote(text), stopReason, inputTokens, outputTokens, inputTokens + outputTokens));
    }

    public static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000").withBody(body);
    }

    /** An AWS restJson1 error: the type travels in {@code x-amzn-ErrorType}, the text in {@code message}. */
    public static ResponseDefinitionBuilder error(int status, String errorType, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .withHeader("x-amzn-RequestId", "11111111-1111-1111-1111-111111111111")
                .withBody("{\"message\":" + quote(message) + "}");
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Has the stand-in answer every Converse call with {@code reply}, and nothing else it was told before. */
    public static void answerEverything(com.github.tomakehurst.wiremock.WireMockServer bedrock,
            ResponseDefinitionBuilder reply) {
        bedrock.resetAll();
        bedrock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/model/.*/converse"))
                .willReturn(reply));
    }

    /** Has the stand-in refuse every model call as Bedrock refuses a malformed request (the fuzz tests' Bedrock). */
    public static void refuseEverything(com.github.tomakehurst.wiremock.WireMockServer bedrock) {
        bedrock.resetAll();
        bedrock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/model/.*"))
                .willReturn(error(400, "ValidationException", "Malformed input request.")));
    }
}
