package io.videopipe.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Server-side request forgery guard for outgoing connections to user-supplied hosts. Refuses host names and addresses
 * that reach the worker's own machine or network: loopback, private (RFC 1918, fc00::/7), link-local (including the
 * 169.254.169.254 cloud metadata address), unspecified, shared carrier-grade NAT, reserved and multicast ranges, the
 * IPv4-mapped, IPv4-compatible, IPv4-translated (::ffff:0:0:0/96), NAT64 and 6to4 IPv6 forms of those, the local-use
 * NAT64 (64:ff9b:1::/48) and Teredo (2001::/32) ranges whatever they embed, cloud metadata host names, and non-canonical
 * numeric hosts ({@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}). A host is refused when any of its addresses
 * is. Hosts named in the allow-list, and addresses inside its CIDR ranges, are let through.
 *
 * <p>{@link #resolve} returns the checked addresses; connecting to exactly those (and checking the connected address
 * with {@link #checkAddress}) is what keeps DNS rebinding out.
 */
public final class AddressGuard {
  /** Name resolution, replaceable in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");
  private static final Pattern NUMERIC_PART = Pattern.compile("0[xX][0-9a-fA-F]*|[0-9]+");
  private static final Set<String> METADATA_HOSTS =
      Set.of("metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal");

  private final String subject;
  private final String allowSetting;
  private final Set<String> allowedNames = new HashSet<>();
  private final List<Cidr> allowedRanges = new ArrayList<>();
  private final Resolver resolver;

  /**
   * @param allowed host names (exact, case-insensitive), IP addresses and CIDR ranges ({@code 10.0.0.0/8},
   *     {@code fd00::/8}) let through
   * @param subject what the host belongs to in messages, e.g. {@code "source"}
   * @param allowSetting the setting that holds the allow-list, named in refusals
   * @param resolver name resolution
   */
  public AddressGuard(Collection<String> allowed, String subject, String allowSetting, Resolver resolver) {
    this.subject = subject;
    this.allowSetting = allowSetting;
    this.resolver = resolver;
    for (String entry : allowed) {
      String e = entry.strip();
      if (e.isEmpty()) {
        continue;
      }
      int slash = e.indexOf('/');
      InetAddress literal = literal(slash < 0 ? e : e.substring(0, slash));
      if (literal == null) {
        if (slash >= 0) {
          throw new IllegalArgumentException(allowSetting + ": not a CIDR range: " + e);
        }
        allowedNames.add(normalize(e));
        continue;
      }
      byte[] network = literal.getAddress();
      if (network.length == 4 && e.indexOf(':') >= 0) {
        // ::ffff:a.b.c.d parses as IPv4; keep the range in the IPv6 space it was written in
        network = mapped(network);
      }
      int bits = network.length * 8;
      int prefix = bits;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(e.substring(slash + 1));
        } catch (NumberFormatException x) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
          throw new IllegalArgumentException(allowSetting + ": bad prefix length in " + e);
        }
      }
      allowedRanges.add(new Cidr(network, prefix));
    }
  }

  /** With the system resolver. */
  public AddressGuard(Collection<String> allowed, String subject, String allowSetting) {
    this(allowed, subject, allowSetting, InetAddress::getAllByName);
  }

  /**
   * Checks what can be checked without resolving: metadata and {@code localhost} names, non-canonical numeric hosts,
   * and IP literals.
   */
  public void checkHost(String host) throws AddressRefusedException {
    String h = normalize(host);
    if (h.isEmpty()) {
      throw new AddressRefusedException(subject + " has no host");
    }
    if (allowedNames.contains(h)) {
      return;
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      throw refused(host, "names the local machine");
    }
    if (METADATA_HOSTS.contains(h)) {
      throw refused(host, "is a cloud metadata service");
    }
    if (looksNumeric(h) && !DOTTED_QUAD.matcher(h).matches()) {
      Long value = inetAton(h);
      throw refused(
          host,
          "is a non-canonical numeric address"
              + (value == null ? "" : " (read as " + dotted(value) + ")")
              + "; write IPv4 addresses as four decimal numbers");
    }
    InetAddress literal = literal(h);
    if (literal != null) {
      checkAddress(host, literal);
    } else if (h.indexOf(':') >= 0 || h.indexOf('%') >= 0) {
      throw refused(host, "is not a valid host name or IP address");
    }
  }

  /**
   * Resolves a host and checks every address it resolves to.
   *
   * @return the checked addresses, the only ones a connection to {@code host} may use
   * @throws AddressRefusedException when the host, or any address it resolves to, is refused
   * @throws UnknownHostException when it does not resolve
   */
  public List<InetAddress> resolve(String host) throws UnknownHostException, AddressRefusedException {
    checkHost(host);
    String h = normalize(host);
    InetAddress literal = literal(h);
    if (literal != null) {
      return List.of(literal);
    }
    InetAddress[] addresses = resolver.resolve(h);
    if (addresses == null || addresses.length == 0) {
      throw new UnknownHostException(h);
    }
    for (InetAddress a : addresses) {
      checkAddress(host, a);
    }
    return List.of(addresses);
  }

  /** Checks one address that {@code host} resolved to, or that a connection to it uses. */
  public void checkAddress(String host, InetAddress address) throws AddressRefusedException {
    if (allowedNames.contains(normalize(host))) {
      return;
    }
    String kind = forbiddenKind(address);
    if (kind == null || isAllowed(address)) {
      return;
    }
    String shown = address.getHostAddress();
    String h = normalize(host);
    boolean isItself = h.equalsIgnoreCase(shown) || (literal(h) != null && literal(h).equals(address));
    throw refused(host, (isItself ? "is " : "resolves to " + shown + ", ") + article(kind) + " " + kind + " address");
  }

  /**
   * What makes an address unfit for outgoing connections, e.g. {@code "loopback"} or {@code "private"}; null for a
   * public address.
   */
  public static String forbiddenKind(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return ipv4Kind(b, 0);
    }
    if (isZero(b, 0, 10)) {
      if ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        String v4 = ipv4Kind(b, 12);
        return v4 == null ? null : "IPv4-mapped " + v4;
      }
      if (b[10] == 0 && b[11] == 0) {
        if (isZero(b, 12, 4)) {
          return "unspecified";
        }
        if (isZero(b, 12, 3) && b[15] == 1) {
          return "loopback";
        }
        String v4 = ipv4Kind(b, 12);
        return "IPv4-compatible " + (v4 == null ? "(deprecated)" : v4);
      }
    }
    if (isZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
      // ::ffff:0:0:0/96 (SIIT, RFC 6145): a translator hands it to whichever IPv4 address is embedded.
      String v4 = ipv4Kind(b, 12);
      return "IPv4-translated " + (v4 == null ? "(SIIT)" : v4);
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0 && b[5] == 1) {
      // 64:ff9b:1::/48 (RFC 8215): local-use NAT64, a translator inside the network, whatever the suffix.
      return "local-use NAT64";
    }
    if (b0 == 0x20 && b1 == 0x01 && b[2] == 0 && b[3] == 0) {
      // 2001::/32 (Teredo, RFC 4380): a tunnel whose endpoint the embedded, obfuscated IPv4 address chooses.
      return "Teredo tunnel";
    }
    if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 8)) {
      String v4 = ipv4Kind(b, 12);
      return v4 == null ? null : "NAT64-embedded " + v4;
    }
    if (b0 == 0x20 && b1 == 0x02) {
      String v4 = ipv4Kind(b, 2);
      return v4 == null ? null : "6to4-embedded " + v4;
    }
    if ((b0 & 0xfe) == 0xfc) {
      return "private (unique local)";
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
      return "link-local";
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
      return "private (site-local)";
    }
    if (b0 == 0xff) {
      return "multicast";
    }
    return null;
  }

  private static String ipv4Kind(byte[] b, int at) {
    int a = b[at] & 0xff;
    int c = b[at + 1] & 0xff;
    int d = b[at + 2] & 0xff;
    int e = b[at + 3] & 0xff;
    if (a == 0) {
      return "unspecified";
    }
    if (a == 127) {
      return "loopback";
    }
    if (a == 10 || (a == 172 && (c & 0xf0) == 16) || (a == 192 && c == 168)) {
      return "private";
    }
    if (a == 169 && c == 254) {
      return d == 169 && e == 254 ? "cloud metadata" : "link-local";
    }
    if (a == 100 && (c & 0xc0) == 64) {
      return "shared (carrier-grade NAT)";
    }
    if ((a == 192 && c == 0 && d == 0) || (a == 198 && (c & 0xfe) == 18)) {
      return "reserved";
    }
    if (a >= 224 && a < 240) {
      return "multicast";
    }
    if (a >= 240) {
      return "reserved";
    }
    return null;
  }

  private boolean isAllowed(InetAddress address) {
    byte[] b = address.getAddress();
    for (Cidr range : allowedRanges) {
      if (range.contains(b)) {
        return true;
      }
    }
    return false;
  }

  private AddressRefusedException refused(String host, String why) {
    return new AddressRefusedException(
        subject + " host '" + host + "' " + why + "; refused (set " + allowSetting + " to permit it)");
  }

  /** Lower case, without IPv6 brackets or a trailing root dot. */
  private static String normalize(String host) {
    String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".") && !h.endsWith("..")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  /** An IP literal (canonical dotted quad or IPv6), parsed without name resolution; null for anything else. */
  static InetAddress literal(String host) {
    String h = normalize(host);
    try {
      if (DOTTED_QUAD.matcher(h).matches()) {
        String[] parts = h.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
          int v = Integer.parseInt(parts[i]);
          if (v > 255) {
            return null;
          }
          b[i] = (byte) v;
        }
        return InetAddress.getByAddress(b);
      }
      if (h.indexOf(':') >= 0 && h.matches("[0-9a-f:.%a-z_-]+")) {
        // An IPv6 literal: InetAddress parses it without a lookup.
        return InetAddress.getByName(h);
      }
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
    return null;
  }

  /** Dot-separated parts that inet_aton would read as numbers (decimal, 0-octal, 0x-hex). */
  private static boolean looksNumeric(String h) {
    String[] parts = h.split("\\.", -1);
    if (parts.length > 4) {
      return false;
    }
    for (String p : parts) {
      if (!NUMERIC_PART.matcher(p).matches()) {
        return false;
      }
    }
    return true;
  }

  /** The address inet_aton reads from a numeric host, or null when it reads none. */
  private static Long inetAton(String h) {
    String[] parts = h.split("\\.", -1);
    long[] v = new long[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        String p = parts[i];
        if (p.startsWith("0x") || p.startsWith("0X")) {
          v[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16);
        } else if (p.length() > 1 && p.startsWith("0")) {
          v[i] = Long.parseLong(p.substring(1), 8);
        } else {
          v[i] = Long.parseLong(p);
        }
      }
    } catch (NumberFormatException e) {
      return null;
    }
    long value = 0;
    for (int i = 0; i < v.length - 1; i++) {
      if (v[i] > 255) {
        return null;
      }
      value = (value << 8) | v[i];
    }
    int restBits = 8 * (5 - v.length);
    long last = v[v.length - 1];
    if (last >= (1L << restBits)) {
      return null;
    }
    return (value << restBits) | last;
  }

  private static String dotted(long v) {
    return ((v >> 24) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
  }

  private static boolean isZero(byte[] b, int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] mapped(byte[] ipv4) {
    byte[] b = new byte[16];
    b[10] = (byte) 0xff;
    b[11] = (byte) 0xff;
    System.arraycopy(ipv4, 0, b, 12, 4);
    return b;
  }

  private static String article(String word) {
    return "aeiouAEIOU".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }

  private record Cidr(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      byte[] a = address;
      if (a.length != network.length) {
        if (network.length == 16 && a.length == 4) {
          // an IPv4 address against an ::ffff:0:0/96-style range
          a = mapped(address);
        } else {
          return false;
        }
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }
  }
}
