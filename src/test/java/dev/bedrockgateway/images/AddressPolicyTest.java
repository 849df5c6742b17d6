package dev.bedrockgateway.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address ranges and URL forms, without any network. */
class AddressPolicyTest {

    private static InetAddress ip(String literal) {
        InetAddress address = AddressPolicy.ipLiteral(literal);
        assertNotNull(address, literal);
        return address;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "169.254.169.254 | link-local, the instance metadata endpoint",
            "169.254.1.1 | link-local",
            "10.0.0.1 | private",
            "172.16.5.4 | private",
            "172.31.255.255 | private",
            "192.168.1.1 | private",
            "100.64.0.1 | carrier-grade NAT",
            "100.127.255.254 | carrier-grade NAT",
            "127.0.0.1 | loopback",
            "127.255.0.1 | loopback",
            "0.0.0.0 | unspecified",
            "0.1.2.3 | reserved, this network",
            "224.0.0.1 | multicast",
            "239.255.255.250 | multicast",
            "255.255.255.255 | broadcast",
            "240.0.0.1 | reserved",
            "192.0.0.170 | reserved for IETF protocol assignments",
            "192.0.2.1 | documentation",
            "198.18.0.1 | reserved for benchmarking",
            ":: | unspecified",
            "::1 | loopback",
            "fe80::1 | link-local",
            "fd00:ec2::254 | unique local, the instance metadata endpoint",
            "fd00:ec2::253 | unique local",
            "fc00::1 | unique local",
            "fec0::1 | site-local",
            "ff02::1 | multicast",
            "::ffff:169.254.169.254 | link-local, the instance metadata endpoint",
            "::ffff:10.0.0.1 | private",
            "::ffff:127.0.0.1 | loopback",
            "::127.0.0.1 | reserved, IPv4-compatible",
            "64:ff9b::a9fe:a9fe | link-local, the instance metadata endpoint, NAT64",
            "64:ff9b:1::1 | reserved, local-use NAT64",
            "2002:a9fe:a9fe::1 | link-local, the instance metadata endpoint, 6to4",
            "2001::1 | reserved, Teredo",
            "2001:db8::1 | documentation",
            "3fff::1 | documentation",
            "100::1 | reserved",
            "4000::1 | reserved",
    })
    void nonPublicAddressesAreRefused(String address, String category) {
        assertEquals(category, AddressPolicy.nonPublicCategory(ip(address)));
        assertFalse(AddressPolicy.isPublic(ip(address)));
        assertEquals(category, new AddressPolicy(List.of()).refusal(ip(address)));
    }

    @Test
    void ipv4MappedAddressesKeptAsIpv6AreJudgedByTheirIpv4Address() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 169, (byte) 254, (byte) 169,
                (byte) 254};
        assertEquals("link-local, the instance metadata endpoint, IPv4-mapped",
                AddressPolicy.nonPublicCategory(Inet6Address.getByAddress(null, mapped, -1)));
        mapped[12] = 8;
        mapped[13] = 8;
        mapped[14] = 8;
        mapped[15] = 8;
        assertTrue(AddressPolicy.isPublic(Inet6Address.getByAddress(null, mapped, -1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "100.128.0.1", "172.32.0.1", "192.169.0.1",
            "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "64:ff9b::808:808", "2002:808:808::1"})
    void publicAddressesAreAllowed(String address) {
        assertTrue(AddressPolicy.isPublic(ip(address)), address);
        assertNull(new AddressPolicy(List.of()).refusal(ip(address)));
    }

    @Test
    void allowListedRangesAndHostsOpenOnlyThemselves() {
        AddressPolicy policy = new AddressPolicy(
                List.of(" 10.1.0.0/16 ", "127.0.0.1", "fd00:1234::/32", "Images.Internal.", "[::1]", "not a cidr/x"));
        assertNull(policy.refusal(ip("10.1.2.3")));
        assertEquals("private", policy.refusal(ip("10.2.0.1")));
        assertNull(policy.refusal(ip("127.0.0.1")));
        assertEquals("loopback", policy.refusal(ip("127.0.0.2")));
        assertNull(policy.refusal(ip("fd00:1234:5::1")));
        assertEquals("unique local", policy.refusal(ip("fd00:1235::1")));
        assertNull(policy.refusal(ip("::1")));
        assertEquals("link-local, the instance metadata endpoint", policy.refusal(ip("169.254.169.254")));
        assertTrue(policy.allowsHost("images.internal"));
        assertTrue(policy.allowsHost("IMAGES.internal."));
        assertFalse(policy.allowsHost("images.internal.evil.example"));
        assertFalse(policy.allowsHost("10.1.2.3"));
    }

    @Test
    void cidrPrefixesAreExact() {
        AddressPolicy policy = new AddressPolicy(List.of("172.20.0.0/14", "0.0.0.0/0"));
        assertNull(policy.refusal(ip("172.23.255.255")));
        assertNull(policy.refusal(ip("192.168.0.1")), "0.0.0.0/0 allows every IPv4 address");
        assertEquals("loopback", policy.refusal(ip("::1")), "an IPv4 range does not open IPv6");
        assertNull(AddressPolicy.Cidr.parse("10.0.0.0/33"));
        assertNull(AddressPolicy.Cidr.parse("10.0.0/8"));
        assertNull(AddressPolicy.Cidr.parse("::/129"));
        assertTrue(AddressPolicy.Cidr.parse("172.20.0.0/14").contains(ip("172.20.0.1")));
        assertFalse(AddressPolicy.Cidr.parse("172.20.0.0/14").contains(ip("172.24.0.1")));
    }

    @ParameterizedTest
    @CsvSource({
            "http://2130706433/, 127.0.0.1",
            "http://0x7f000001/, 127.0.0.1",
            "http://0X7F000001:8080/x, 127.0.0.1",
            "http://017700000001/, 127.0.0.1",
            "http://0177.0.0.1/, 127.0.0.1",
            "http://127.1/, 127.0.0.1",
            "http://127.0.1/, 127.0.0.1",
            "http://0/, 0.0.0.0",
            "http://0xa9fea9fe/latest/meta-data/, 169.254.169.254",
            "http://2852039166/, 169.254.169.254",
            "http://169.254.169.254./, 169.254.169.254",
            "http://[::ffff:127.0.0.1]/, 127.0.0.1",
            "http://[::ffff:a9fe:a9fe]/, 169.254.169.254",
            "http://[0:0:0:0:0:ffff:7f00:1]/, 127.0.0.1",
    })
    void numericHostFormsBecomeTheAddressTheyMean(String url, String address) throws Exception {
        ImageUrl parsed = ImageUrl.parse(url);
        assertEquals(ip(address), parsed.literal);
        assertEquals(address, parsed.host);
        assertNotNull(AddressPolicy.nonPublicCategory(parsed.literal));
    }

    @Test
    void ipv6LiteralsStayIpv6() throws Exception {
        ImageUrl parsed = ImageUrl.parse("https://[FD00:EC2::254]:8443/a?b=c#frag");
        assertEquals(ip("fd00:ec2::254"), parsed.literal);
        assertTrue(parsed.ipv6Literal());
        assertEquals(8443, parsed.port);
        assertEquals("/a?b=c", parsed.requestUri);
        assertEquals("[fd00:ec2:0:0:0:0:0:254]:8443", parsed.hostHeader());
    }

    @Test
    void hostNamesAreNormalised() throws Exception {
        ImageUrl parsed = ImageUrl.parse("HTTPS://Images.Example.COM./cat.png?size=2");
        assertEquals("https", parsed.scheme);
        assertEquals("images.example.com", parsed.host);
        assertNull(parsed.literal);
        assertEquals(443, parsed.port);
        assertEquals("/cat.png?size=2", parsed.requestUri);
        assertEquals("images.example.com", parsed.hostHeader());
        assertEquals("/", ImageUrl.parse("https://example.com").requestUri);
        assertEquals("xn--bcher-kva.example", ImageUrl.parse("https://b\u00fccher.example/").host);
    }

    @Test
    void redirectsResolveAgainstTheCurrentUrl() throws Exception {
        ImageUrl base = ImageUrl.parse("https://example.com/a/b.png?x=1");
        assertEquals("https://example.com:443/a/c.png", base.resolve("c.png").toString());
        assertEquals("https://example.com:443/d.png", base.resolve("/d.png").toString());
        ImageUrl other = base.resolve("//0x7f000001:8080/e");
        assertEquals(ip("127.0.0.1"), other.literal);
        assertEquals(8080, other.port);
        assertEquals("http", base.resolve("http://[::1]/").scheme);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "not a url", "https://", "https:///path", "https://exa mple.com/",
            "//example.com/x.png", "example.com/x.png", "https://user:pass@example.com/x.png",
            "https://example.com@127.0.0.1/", "https://example.com:0/", "https://example.com:65536/",
            "https://example.com:12a/", "https://[::1/", "https://[::1]x/", "https://[not:an:ip]/",
            "https://1.2.3.4.5/", "https://256.1.1.1/", "https://1.2.3.0x100/", "https://0x100000000/",
            "https://4294967296/", "https://08/", "https://exa..mple.com/", "https://%31%32%37.0.0.1/",
            "https://example.com:80:80/", "ftp://example.com/x.png", "file:///etc/passwd", "gopher://127.0.0.1/",
            "data:image/png;base64,AAAA", "jar:file:/x.jar!/y", "mailto:someone@example.com"})
    void malformedAndUnsupportedUrlsAreRefused(String url) {
        assertThrows(ImageUrl.Invalid.class, () -> ImageUrl.parse(url));
    }

    @Test
    void overlongUrlsAreRefused() {
        String url = "https://example.com/" + "a".repeat(ImageUrl.MAX_LENGTH);
        ImageUrl.Invalid e = assertThrows(ImageUrl.Invalid.class, () -> ImageUrl.parse(url));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }
}
