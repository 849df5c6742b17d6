package dev.bedrockgateway.images;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jboss.logging.Logger;

/**
 * Which addresses the gateway may fetch images from: public unicast addresses only, unless the operator
 * allow-listed a host name or an address range ({@code gateway.images.allowed-hosts}).
 *
 * <p>
 * Fetching a URL chosen by the client is a server-side request forgery (SSRF) risk: without this check a request
 * could make the gateway read the cloud instance metadata service ({@code 169.254.169.254},
 * {@code fd00:ec2::254}; on EC2/EKS it hands out IAM credentials), Kubernetes services and pods, or anything else
 * only reachable from inside the cluster or VPC. Refused are the ranges of the IANA special-purpose registries
 * that are not globally reachable: unspecified, loopback, link-local, private (RFC 1918), carrier-grade NAT
 * (RFC 6598), unique local IPv6, site-local, multicast, broadcast, documentation, benchmarking, reserved and
 * IETF protocol ranges, and every IPv6 address outside global unicast {@code 2000::/3}. IPv6 forms that embed an
 * IPv4 address (IPv4-mapped {@code ::ffff:0:0/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged
 * by the embedded IPv4 address, so {@code ::ffff:169.254.169.254} is refused while DNS64 answers for public hosts
 * (IPv6-only clusters) still work.
 *
 * @see <a href=
 *      "https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html">
 *      OWASP SSRF Prevention Cheat Sheet</a>
 * @see <a href="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html">AWS:
 *      instance metadata endpoints</a>
 * @see <a href="https://www.iana.org/assignments/iana-ipv4-special-registry/">IANA IPv4 special-purpose
 *      registry</a>
 * @see <a href="https://www.iana.org/assignments/iana-ipv6-special-registry/">IANA IPv6 special-purpose
 *      registry</a>
 */
public final class AddressPolicy {

    private static final Logger LOG = Logger.getLogger(AddressPolicy.class);

    private final Set<String> allowedNames;
    private final List<Cidr> allowedRanges;

    /**
     * @param allowedHosts exact host names (case-insensitive) and address ranges in CIDR notation; an address
     *        without a prefix length is a single address. Entries that are not valid ranges are logged and ignored
     *        (which only ever refuses more).
     */
    public AddressPolicy(List<String> allowedHosts) {
        Set<String> names = new HashSet<>();
        List<Cidr> ranges = new ArrayList<>();
        for (String raw : allowedHosts == null ? List.<String>of() : allowedHosts) {
            String entry = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            Cidr range = Cidr.parse(entry);
            if (range != null) {
                ranges.add(range);
            } else if (entry.contains("/") || entry.contains(":") || entry.startsWith("[")) {
                LOG.warnf("Ignoring gateway.images.allowed-hosts entry '%s': not a host name or CIDR range", raw);
            } else {
                names.add(stripTrailingDot(entry));
            }
        }
        this.allowedNames = Set.copyOf(names);
        this.allowedRanges = List.copyOf(ranges);
    }

    /** Whether the host name itself is allow-listed: then it may be fetched whatever it resolves to. */
    public boolean allowsHost(String host) {
        return host != null && allowedNames.contains(stripTrailingDot(host.toLowerCase(Locale.ROOT)));
    }

    /**
     * Why the address may not be fetched from, or {@code null} when it may: public, or inside an allow-listed
     * range.
     */
    public String refusal(InetAddress address) {
        String category = nonPublicCategory(address);
        if (category == null) {
            return null;
        }
        for (Cidr range : allowedRanges) {
            if (range.contains(address)) {
                return null;
            }
        }
        return category;
    }

    /** Whether the address is a public (globally reachable) unicast address. */
    public static boolean isPublic(InetAddress address) {
        return nonPublicCategory(address) == null;
    }

    /**
     * The kind of non-public address, for messages (e.g. {@code "loopback"}), or {@code null} for a public one.
     */
    public static String nonPublicCategory(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return ipv4Category(b, 0);
        }
        return ipv6Category(b);
    }

    private static String ipv4Category(byte[] bytes, int offset) {
        int a = bytes[offset] & 0xFF;
        int b = bytes[offset + 1] & 0xFF;
        int c = bytes[offset + 2] & 0xFF;
        int d = bytes[offset + 3] & 0xFF;
        if (a == 0) {
            return b == 0 && c == 0 && d == 0 ? "unspecified" : "reserved, this network";
        }
        if (a == 10) {
            return "private";
        }
        if (a == 100 && (b & 0xC0) == 64) {
            return "carrier-grade NAT";
        }
        if (a == 127) {
            return "loopback";
        }
        if (a == 169 && b == 254) {
            return c == 169 && d == 254 ? "link-local, the instance metadata endpoint" : "link-local";
        }
        if (a == 172 && (b & 0xF0) == 16) {
            return "private";
        }
        if (a == 192 && b == 0 && c == 0) {
            return "reserved for IETF protocol assignments";
        }
        if (a == 192 && b == 0 && c == 2 || a == 198 && b == 51 && c == 100 || a == 203 && b == 0 && c == 113) {
            return "documentation";
        }
        if (a == 192 && b == 88 && c == 99) {
            return "reserved, 6to4 relay anycast";
        }
        if (a == 192 && b == 168) {
            return "private";
        }
        if (a == 198 && (b & 0xFE) == 18) {
            return "reserved for benchmarking";
        }
        if ((a & 0xF0) == 224) {
            return "multicast";
        }
        if (a == 255 && b == 255 && c == 255 && d == 255) {
            return "broadcast";
        }
        if ((a & 0xF0) == 240) {
            return "reserved";
        }
        return null;
    }

    private static String ipv6Category(byte[] b) {
        if (zero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
            String embedded = ipv4Category(b, 12);
            return embedded == null ? null : embedded + ", IPv4-mapped";
        }
        if (zero(b, 0, 15)) {
            return b[15] == 0 ? "unspecified" : b[15] == 1 ? "loopback" : "reserved, IPv4-compatible";
        }
        if (zero(b, 0, 12)) {
            return "reserved, IPv4-compatible";
        }
        int w0 = word(b, 0);
        int w1 = word(b, 1);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            if (zero(b, 4, 8)) {
                String embedded = ipv4Category(b, 12);
                return embedded == null ? null : embedded + ", NAT64";
            }
            return word(b, 2) == 0x0001 ? "reserved, local-use NAT64" : "reserved";
        }
        if ((w0 & 0xFE00) == 0xFC00) {
            return w0 == 0xfd00 && w1 == 0x0ec2 && zero(b, 4, 14) && b[14] == 0x02 && b[15] == 0x54
                    ? "unique local, the instance metadata endpoint"
                    : "unique local";
        }
        if ((w0 & 0xFFC0) == 0xFE80) {
            return "link-local";
        }
        if ((w0 & 0xFFC0) == 0xFEC0) {
            return "site-local";
        }
        if ((w0 & 0xFF00) == 0xFF00) {
            return "multicast";
        }
        if ((w0 & 0xE000) != 0x2000) {
            return "reserved";
        }
        if (w0 == 0x2001) {
            if (w1 == 0x0000) {
                return "reserved, Teredo";
            }
            if (w1 == 0x0db8) {
                return "documentation";
            }
            if (w1 < 0x0200) {
                return "reserved for IETF protocol assignments";
            }
        }
        if (w0 == 0x2002) {
            String embedded = ipv4Category(b, 2);
            return embedded == null ? null : embedded + ", 6to4";
        }
        if (w0 == 0x3fff && (w1 & 0xF000) == 0) {
            return "documentation";
        }
        return null;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int word(byte[] b, int index) {
        return (b[2 * index] & 0xFF) << 8 | b[2 * index + 1] & 0xFF;
    }

    private static String stripTrailingDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** An address range; IPv4 ranges match IPv4 addresses only, IPv6 ranges IPv6 addresses only. */
    record Cidr(byte[] network, int prefix) {

        /** The range, or {@code null} when the text is not an IP address with an optional prefix length. */
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String addressText = slash < 0 ? text : text.substring(0, slash);
            InetAddress address = ipLiteral(addressText);
            if (address == null) {
                return null;
            }
            byte[] bytes = address.getAddress();
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                String prefixText = text.substring(slash + 1);
                if (prefixText.isEmpty() || prefixText.length() > 3
                        || !prefixText.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    return null;
                }
                prefix = Integer.parseInt(prefixText);
                if (addressText.contains(":") && bytes.length == 4) {
                    prefix -= 96;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    return null;
                }
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (candidate[full] & mask) == (network[full] & mask);
        }
    }

    /**
     * A dotted-quad IPv4 address or an IPv6 address (brackets optional), parsed without any DNS look-up;
     * {@code null} for anything else.
     */
    static InetAddress ipLiteral(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (!(ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0 && ch < 0x80)) {
                    return null;
                }
            }
            try {
                return InetAddress.getByName("[" + s + "]");
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
