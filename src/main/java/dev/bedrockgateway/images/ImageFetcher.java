package dev.bedrockgateway.images;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.OpenAiException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;

/**
 * Fetches the images of {@code image_url} content parts that are given as URLs: Bedrock takes image bytes only.
 *
 * <p>
 * Because the client chooses the URL, fetching it is a server-side request forgery (SSRF) risk: the gateway runs
 * inside a VPC / Kubernetes cluster and could be made to read the instance metadata service
 * ({@code http://169.254.169.254/}, {@code fd00:ec2::254}; it serves the node's IAM credentials), cluster services,
 * or anything else internal. The defences, following the
 * <a href=
 * "https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html">OWASP
 * SSRF Prevention Cheat Sheet</a>:
 * <ul>
 * <li>only {@code https} URLs ({@code http} too when {@code gateway.images.allow-http} is set); no user info;
 * IP literals in every form (decimal, octal, hex, IPv6, IPv4-mapped) are normalised before they are checked
 * ({@link ImageUrl});</li>
 * <li>the host is resolved by the gateway itself, off the event loop, and <em>every</em> address it resolves to must
 * be public ({@link AddressPolicy}), or inside a range / the host name itself allow-listed in
 * {@code gateway.images.allowed-hosts};</li>
 * <li>the connection goes to the checked address itself (the request's server address is pinned, while the
 * {@code Host} header, TLS SNI and certificate host name check use the URL's host), so a DNS answer that changes
 * between check and connect (DNS rebinding) cannot redirect it;</li>
 * <li>redirects are not followed by the HTTP client but here, at most {@code gateway.images.max-redirects}, and every
 * target is checked again like the first URL;</li>
 * <li>the body is limited to {@code gateway.images.max-bytes} (refused on {@code Content-Length}, otherwise counted
 * while streaming and the connection reset once over), the whole fetch to {@code gateway.images.timeout}; only
 * {@code image/png}, {@code image/jpeg}, {@code image/gif} and {@code image/webp} responses are taken.</li>
 * </ul>
 * TLS uses the JVM's default trust store with host name verification.
 *
 * <p>
 * Every refusal or failure fails the {@link Uni} with a 400 {@link OpenAiException} whose {@code param} is the one
 * given to {@link #fetch} and whose {@code code} is
 * <ul>
 * <li>{@value #CODE_INVALID_IMAGE_URL}: the gateway refuses the URL without fetching it: fetching is disabled,
 * the URL (or a redirect's target) is malformed, has a scheme other than https (or http when allowed), carries
 * user info, or its host is or resolves to a non-public address;</li>
 * <li>{@value #CODE_IMAGE_FETCH_FAILED}: the URL was acceptable but fetching it gave no usable image: the host
 * name does not resolve, the connection or TLS failed, the fetch timed out, the image host answered a status
 * other than 200, redirected too often or without a {@code Location}, sent no supported image content type, or
 * the image is larger than allowed.</li>
 * </ul>
 *
 * @see <a href="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html">AWS:
 *      accessing instance metadata</a>
 */
@ApplicationScoped
public class ImageFetcher {

    /** Error code for URLs the gateway refuses to fetch. */
    public static final String CODE_INVALID_IMAGE_URL = "invalid_image_url";
    /** Error code for fetches that were tried but gave no usable image. */
    public static final String CODE_IMAGE_FETCH_FAILED = "image_fetch_failed";

    private static final Logger LOG = Logger.getLogger(ImageFetcher.class);

    private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);
    private static final String USER_AGENT = "bedrock-gateway-image-fetcher";
    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    private static final String GENERIC_TLS_FAILURE = "Failed to create SSL connection";

    /** Host name resolution; {@link InetAddress#getAllByName} in production. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Vertx vertx;
    private final GatewayConfig config;
    private final AddressPolicy policy;
    private final Resolver resolver;
    private final HttpClient client;

    @Inject
    public ImageFetcher(Vertx vertx, GatewayConfig config) {
        this(vertx, config, InetAddress::getAllByName, null);
    }

    /**
     * @param trust trust store instead of the JVM's default (tests with their own certificate), or {@code null}
     */
    ImageFetcher(Vertx vertx, GatewayConfig config, Resolver resolver, TrustOptions trust) {
        this.vertx = vertx;
        this.config = config;
        this.resolver = resolver;
        GatewayConfig.Images images = config.images();
        this.policy = new AddressPolicy(images.allowedHosts().orElse(List.of()));
        HttpClientOptions options = new HttpClientOptions()
                .setName("image-fetcher")
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setKeepAliveTimeout(30)
                .setMaxPoolSize(16)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, images.timeout().toMillis())))
                .setMaxRedirects(0)
                .setDecompressionSupported(false)
                .setTrustAll(false)
                .setVerifyHost(true);
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        this.client = vertx.createHttpClient(options);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Fetches the image at {@code url}.
     *
     * @param url the {@code image_url.url} of the request
     * @param param the request field the URL came from (e.g. {@code messages[0].content[1].image_url.url}), named in
     *        errors
     * @return the image, or a failure with a 400 {@link OpenAiException} (codes {@value #CODE_INVALID_IMAGE_URL},
     *         {@value #CODE_IMAGE_FETCH_FAILED}); never fails otherwise, and ends within the configured timeout
     */
    public Uni<FetchedImage> fetch(String url, String param) {
        GatewayConfig.Images settings = config.images();
        if (!settings.fetchEnabled()) {
            return Uni.createFrom().failure(invalidUrl(param,
                    "Fetching image URLs is disabled on this gateway; send the image as a data: URL "
                            + "(data:image/png;base64,...)."));
        }
        ImageUrl target;
        try {
            target = ImageUrl.parse(url);
            checkScheme(target, settings, false);
        } catch (ImageUrl.Invalid e) {
            return Uni.createFrom().failure(invalidUrl(param, e.getMessage()));
        }
        Duration timeout = settings.timeout().compareTo(MIN_TIMEOUT) < 0 ? MIN_TIMEOUT : settings.timeout();
        return Uni.createFrom().<FetchedImage>emitter(emitter -> new Fetch(param, settings, emitter).start(target))
                .ifNoItem().after(timeout)
                .failWith(() -> fetchFailed(param,
                        "Fetching the image from '" + target.host + "' timed out after " + describe(timeout) + "."));
    }

    private static void checkScheme(ImageUrl url, GatewayConfig.Images settings, boolean redirect)
            throws ImageUrl.Invalid {
        if (!url.https() && !settings.allowHttp()) {
            throw new ImageUrl.Invalid(redirect
                    ? "Image URL scheme 'http' is not allowed; only https:// image URLs are fetched."
                    : "Image URL scheme 'http' is not allowed; use an https:// URL (or a data: URL).");
        }
    }

    /** One fetch: its redirects, the request in flight, and whether it has ended. */
    private final class Fetch {

        private final String param;
        private final GatewayConfig.Images settings;
        private final UniEmitter<? super FetchedImage> emitter;
        private final Context context;
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile HttpClientRequest request;
        private int redirects;

        Fetch(String param, GatewayConfig.Images settings, UniEmitter<? super FetchedImage> emitter) {
            this.param = param;
            this.settings = settings;
            this.emitter = emitter;
            this.context = vertx.getOrCreateContext();
        }

        void start(ImageUrl url) {
            emitter.onTermination(this::cancel);
            context.runOnContext(v -> attempt(url));
        }

        private void attempt(ImageUrl url) {
            if (finished.get()) {
                return;
            }
            Future<InetAddress[]> addresses = url.literal != null
                    ? Future.succeededFuture(new InetAddress[] {url.literal})
                    : vertx.executeBlocking(() -> resolver.resolve(url.host), false);
            addresses.onComplete(resolved -> {
                if (finished.get()) {
                    return;
                }
                try {
                    if (resolved.failed() || resolved.result() == null || resolved.result().length == 0) {
                        LOG.debugf(resolved.cause(), "Image host %s did not resolve", url.host);
                        fail(fetchFailed(param, "Image URL host '" + url.host + "' could not be resolved."));
                        return;
                    }
                    InetAddress[] all = resolved.result();
                    String refusal = refusal(url, all);
                    if (refusal != null) {
                        fail(invalidUrl(param, nonPublicMessage(url, refusal)));
                        return;
                    }
                    send(url, all[0]);
                } catch (RuntimeException e) {
                    fail(unexpected(url, e));
                }
            });
        }

        private String refusal(ImageUrl url, InetAddress[] addresses) {
            if (policy.allowsHost(url.host)) {
                return null;
            }
            for (InetAddress address : addresses) {
                String refusal = policy.refusal(address);
                if (refusal != null) {
                    LOG.debugf("Refusing image URL host %s: %s is %s", url.host, address.getHostAddress(), refusal);
                    return refusal;
                }
            }
            return null;
        }

        private String nonPublicMessage(ImageUrl url, String category) {
            String subject = redirects == 0 ? "Image URL host '" : "Image URL redirects to host '";
            String verb = url.literal != null
                    ? "', which is a non-public address ("
                    : "', which resolves to a non-public address (";
            return subject + url.host + verb + category + "); the gateway does not fetch images from internal "
                    + "networks.";
        }

        private void send(ImageUrl url, InetAddress address) {
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setSsl(url.https())
                    .setHost(url.host)
                    .setPort(url.port)
                    .setServer(SocketAddress.inetSocketAddress(url.port, address.getHostAddress()))
                    .setURI(url.requestUri)
                    .setFollowRedirects(false)
                    .putHeader(HttpHeaders.ACCEPT, ImageType.SUPPORTED)
                    .putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
            if (url.ipv6Literal()) {
                options.putHeader(HttpHeaders.HOST, url.hostHeader());
            }
            client.request(options).onComplete(created -> {
                if (created.failed()) {
                    fail(transportFailure(url, created.cause()));
                    return;
                }
                HttpClientRequest req = created.result();
                req.exceptionHandler(ignored -> {
                });
                request = req;
                if (finished.get()) {
                    req.reset();
                    return;
                }
                req.send().onComplete(answered -> {
                    if (answered.failed()) {
                        fail(transportFailure(url, answered.cause()));
                        return;
                    }
                    try {
                        onResponse(url, req, answered.result());
                    } catch (RuntimeException e) {
                        fail(unexpected(url, e));
                        req.reset();
                    }
                });
            });
        }

        private void onResponse(ImageUrl url, HttpClientRequest req, HttpClientResponse response) {
            if (finished.get()) {
                discard(req, response);
                return;
            }
            int status = response.statusCode();
            if (REDIRECT_STATUSES.contains(status)) {
                discard(req, response);
                redirect(url, status, response.getHeader(HttpHeaders.LOCATION));
                return;
            }
            if (status != 200) {
                discard(req, response);
                fail(fetchFailed(param, "Image host '" + url.host + "' answered HTTP " + status + " (expected 200)."));
                return;
            }
            String declaredType = ImageType.bare(response.getHeader(HttpHeaders.CONTENT_TYPE));
            ImageType type = ImageType.ofMediaType(declaredType).orElse(null);
            if (type == null) {
                discard(req, response);
                fail(fetchFailed(param, "Image URL does not point to a supported image: the host sent "
                        + (declaredType.isEmpty() ? "no content type" : "content type '" + declaredType + "'")
                        + "; supported are " + ImageType.SUPPORTED + "."));
                return;
            }
            long max = settings.maxBytes();
            long declaredLength = contentLength(response.getHeader(HttpHeaders.CONTENT_LENGTH));
            if (declaredLength > max) {
                fail(tooLarge(url, max));
                discard(req, response);
                return;
            }
            Buffer body = Buffer.buffer((int) (declaredLength >= 0 ? declaredLength : Math.min(max, INITIAL_BUFFER)));
            response.exceptionHandler(e -> fail(transportFailure(url, e)));
            response.handler(chunk -> {
                if (finished.get()) {
                    return;
                }
                if ((long) body.length() + chunk.length() > max) {
                    fail(tooLarge(url, max));
                    req.reset();
                    return;
                }
                body.appendBuffer(chunk);
            });
            response.endHandler(ignored -> succeed(new FetchedImage(body.getBytes(), type)));
        }

        private void redirect(ImageUrl from, int status, String location) {
            if (location == null || location.isBlank()) {
                fail(fetchFailed(param, "Image host '" + from.host + "' answered HTTP " + status
                        + " without a Location header."));
                return;
            }
            if (redirects >= settings.maxRedirects()) {
                fail(fetchFailed(param, "Image URL redirected more than " + settings.maxRedirects() + " time"
                        + (settings.maxRedirects() == 1 ? "" : "s") + "."));
                return;
            }
            ImageUrl next;
            try {
                next = from.resolve(location);
                checkScheme(next, settings, true);
            } catch (ImageUrl.Invalid e) {
                String reason = e.getMessage().startsWith("Image URL ")
                        ? "the target " + e.getMessage().substring("Image URL ".length())
                        : e.getMessage();
                fail(invalidUrl(param,
                        "Image host '" + from.host + "' redirected to a URL that is refused: " + reason));
                return;
            }
            redirects++;
            attempt(next);
        }

        private void discard(HttpClientRequest req, HttpClientResponse response) {
            response.exceptionHandler(ignored -> {
            });
            response.handler(ignored -> {
            });
            req.reset();
        }

        private void succeed(FetchedImage image) {
            if (finished.compareAndSet(false, true)) {
                emitter.complete(image);
            }
        }

        private void fail(Throwable failure) {
            if (finished.compareAndSet(false, true)) {
                emitter.fail(failure);
            }
        }

        private void cancel() {
            if (finished.compareAndSet(false, true)) {
                HttpClientRequest req = request;
                if (req != null) {
                    context.runOnContext(v -> req.reset());
                }
            }
        }

        private OpenAiException tooLarge(ImageUrl url, long max) {
            return fetchFailed(param, "Image at '" + url.host + "' is larger than the limit of " + max + " bytes.");
        }

        private OpenAiException transportFailure(ImageUrl url, Throwable cause) {
            LOG.debugf(cause, "Fetching an image from %s failed", url.host);
            String reason;
            Throwable ssl = find(cause, SSLException.class);
            if (ssl != null) {
                String detail = rootCause(ssl).getMessage();
                reason = detail == null || detail.isBlank() || GENERIC_TLS_FAILURE.equals(detail)
                        ? "the TLS connection failed"
                        : "the TLS connection failed (" + detail + ")";
            } else if (find(cause, ConnectException.class) != null) {
                reason = "could not connect";
            } else {
                String message = rootCause(cause).getMessage();
                reason = message == null || message.isBlank() ? "the connection failed" : message;
            }
            return fetchFailed(param, "Could not fetch the image from '" + url.host + "': " + reason + ".");
        }

        private OpenAiException unexpected(ImageUrl url, RuntimeException e) {
            LOG.warnf(e, "Unexpected failure fetching an image from %s", url.host);
            return fetchFailed(param, "Could not fetch the image from '" + url.host + "'.");
        }
    }

    private static OpenAiException invalidUrl(String param, String message) {
        return OpenAiException.invalidRequest(param, CODE_INVALID_IMAGE_URL, message);
    }

    private static OpenAiException fetchFailed(String param, String message) {
        return OpenAiException.invalidRequest(param, CODE_IMAGE_FETCH_FAILED, message);
    }

    private static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static Throwable find(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return c;
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
