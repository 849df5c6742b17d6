package dev.bedrockgateway.images;

import java.math.BigInteger;
import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * An {@code http(s)} image URL taken apart and normalised, so that the host the policy checks is the host that is
 * connected to.
 *
 * <p>
 * The authority is parsed here rather than by {@link URI#getHost()} (which gives up on hosts such as
 * {@code 2130706433}): a host whose last label is a number is an IPv4 address in one of the legacy forms that
 * browsers and {@code inet_aton} accept (decimal {@code 2130706433}, hex {@code 0x7f000001}, octal
 * {@code 017700000001}, short {@code 127.1}) and becomes that address, so it is checked like any other address
 * and never reaches a resolver that might read it differently. IPv6 literals (in brackets) are parsed without DNS.
 * URLs with user info ({@code user@host}) are refused: they are a classic way to make a URL look like it points
 * elsewhere.
 */
final class ImageUrl {

    static final int MAX_LENGTH = 8192;

    /** {@code http} or {@code https}. */
    final String scheme;
    /** Lower case, no trailing dot; IPv4 in dotted form; IPv6 without brackets. */
    final String host;
    /** The address when the host is an IP literal, else {@code null}. */
    final InetAddress literal;
    final int port;
    /** Path and query, as sent in the request line. */
    final String requestUri;
    private final URI uri;

    private ImageUrl(String scheme, String host, InetAddress literal, int port, String requestUri) {
        this.scheme = scheme;
        this.host = host;
        this.literal = literal;
        this.port = port;
        this.requestUri = requestUri;
        this.uri = URI.create(scheme + "://" + hostForUrl() + ":" + port + requestUri);
    }

    /** Thrown with a message for the client when a URL cannot be fetched as it is. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses a URL of scheme {@code http} or {@code https}; whether {@code http} may be fetched is the fetcher's decision. */
    static ImageUrl parse(String text) throws Invalid {
        if (text == null || text.isBlank()) {
            throw new Invalid("Image URL is empty.");
        }
        if (text.length() > MAX_LENGTH) {
            throw new Invalid("Image URL is longer than " + MAX_LENGTH + " characters.");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new Invalid("Image URL is malformed: " + e.getReason() + ".");
        }
        if (uri.getScheme() == null) {
            throw new Invalid("Image URL is malformed: it has no scheme (expected https://...).");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Invalid("Image URL scheme '" + scheme + "' is not supported; use https:// (or a data: URL).");
        }
        String authority = uri.getRawAuthority();
        if (uri.isOpaque() || authority == null || authority.isEmpty()) {
            throw new Invalid("Image URL is malformed: it has no host.");
        }
        if (authority.indexOf('@') >= 0) {
            throw new Invalid("Image URLs with user info (user@host) are not allowed.");
        }
        String hostText;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new Invalid("Image URL is malformed: unterminated IPv6 address.");
            }
            hostText = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new Invalid("Image URL is malformed: unexpected characters after the IPv6 address.");
                }
                portText = rest.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0) {
                hostText = authority.substring(0, colon);
                portText = authority.substring(colon + 1);
            } else {
                hostText = authority;
            }
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int port = parsePort(portText, defaultPort);

        String host;
        InetAddress literal;
        if (hostText.startsWith("[")) {
            literal = AddressPolicy.ipLiteral(hostText);
            if (literal == null) {
                throw new Invalid("Image URL is malformed: '" + hostText + "' is not a valid IPv6 address.");
            }
            host = literal.getHostAddress();
        } else {
            String name = asciiHost(hostText);
            if (endsInNumber(name)) {
                literal = legacyIpv4(name);
                host = literal.getHostAddress();
            } else {
                checkHostName(name);
                literal = null;
                host = name;
            }
        }

        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new ImageUrl(scheme, host, literal, port, requestUri);
    }

    /** The target of a redirect's {@code Location}, resolved against this URL. */
    ImageUrl resolve(String location) throws Invalid {
        URI target;
        try {
            target = uri.resolve(new URI(location.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new Invalid("Image URL redirects to a malformed location.");
        }
        return parse(target.toString());
    }

    boolean https() {
        return scheme.equals("https");
    }

    boolean ipv6Literal() {
        return literal instanceof Inet6Address;
    }

    /** The {@code Host} header value: the host (IPv6 in brackets) and the port unless it is the default. */
    String hostHeader() {
        int defaultPort = https() ? 443 : 80;
        return port == defaultPort ? hostForUrl() : hostForUrl() + ":" + port;
    }

    private String hostForUrl() {
        return ipv6Literal() ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    private static int parsePort(String text, int defaultPort) throws Invalid {
        if (text == null || text.isEmpty()) {
            return defaultPort;
        }
        if (text.length() > 5 || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new Invalid("Image URL is malformed: invalid port '" + text + "'.");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new Invalid("Image URL is malformed: invalid port '" + text + "'.");
        }
        return port;
    }

    private static String asciiHost(String text) throws Invalid {
        if (text.isEmpty()) {
            throw new Invalid("Image URL is malformed: it has no host.");
        }
        if (text.indexOf('%') >= 0) {
            throw new Invalid("Image URL is malformed: percent-encoded host names are not supported.");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(text, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new Invalid("Image URL is malformed: invalid host name.");
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        if (ascii.isEmpty()) {
            throw new Invalid("Image URL is malformed: it has no host.");
        }
        return ascii;
    }

    private static void checkHostName(String name) throws Invalid {
        if (name.length() > 253) {
            throw new Invalid("Image URL is malformed: host name too long.");
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new Invalid("Image URL is malformed: invalid host name.");
            }
            for (int i = 0; i < label.length(); i++) {
                char ch = label.charAt(i);
                if (!(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_')) {
                    throw new Invalid("Image URL is malformed: invalid host name.");
                }
            }
        }
    }

    /** WHATWG URL "ends in a number": then the host must be an IPv4 address. */
    private static boolean endsInNumber(String host) {
        String last = host.substring(host.lastIndexOf('.') + 1);
        if (!last.isEmpty() && last.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return true;
        }
        return (last.startsWith("0x") || last.startsWith("0X"))
                && last.substring(2).chars().allMatch(ch -> Character.digit(ch, 16) >= 0);
    }

    /** Dotted, decimal, octal, hex and short IPv4 forms, as {@code inet_aton} and browsers read them. */
    private static InetAddress legacyIpv4(String host) throws Invalid {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            throw new Invalid("Image URL is malformed: '" + host + "' is not a valid IPv4 address.");
        }
        BigInteger[] values = new BigInteger[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = ipv4Number(parts[i], host);
        }
        BigInteger limit = BigInteger.ONE.shiftLeft(8 * (5 - parts.length));
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i].compareTo(BigInteger.valueOf(255)) > 0) {
                throw new Invalid("Image URL is malformed: '" + host + "' is not a valid IPv4 address.");
            }
            address |= values[i].longValue() << (8 * (3 - i));
        }
        BigInteger last = values[parts.length - 1];
        if (last.compareTo(limit) >= 0) {
            throw new Invalid("Image URL is malformed: '" + host + "' is not a valid IPv4 address.");
        }
        address |= last.longValue();
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger ipv4Number(String part, String host) throws Invalid {
        int radix = 10;
        String digits = part;
        if (part.length() >= 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() >= 2 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty()) {
            if (radix == 16) {
                return BigInteger.ZERO;
            }
            throw new Invalid("Image URL is malformed: '" + host + "' is not a valid IPv4 address.");
        }
        final int r = radix;
        if (digits.length() > 40 || !digits.chars().allMatch(ch -> Character.digit(ch, r) >= 0)) {
            throw new Invalid("Image URL is malformed: '" + host + "' is not a valid IPv4 address.");
        }
        return new BigInteger(digits, radix);
    }
}
