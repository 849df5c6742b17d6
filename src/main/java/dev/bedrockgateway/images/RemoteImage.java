package dev.bedrockgateway.images;

/**
 * An image a request gives by URL, which the gateway must fetch before the request can go to Bedrock (Bedrock takes
 * image bytes only).
 *
 * @param url the URL as the client sent it
 * @param param where it stands in the request ({@code messages[0].content[1].image_url.url}), for errors
 */
public record RemoteImage(String url, String param) {
}
