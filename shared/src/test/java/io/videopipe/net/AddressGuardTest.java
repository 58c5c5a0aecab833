package io.videopipe.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {
  private static final String SETTING = "videopipe.download.allowed-hosts";

  /** A resolver with fixed answers, so no test depends on real DNS. */
  private static AddressGuard.Resolver fixed(Map<String, String> answers) {
    return host -> {
      String a = answers.get(host);
      if (a == null) {
        throw new UnknownHostException(host);
      }
      String[] parts = a.split(",");
      InetAddress[] out = new InetAddress[parts.length];
      for (int i = 0; i < parts.length; i++) {
        out[i] = InetAddress.getByName(parts[i]);
      }
      return out;
    };
  }

  private static final AddressGuard.Resolver DNS =
      fixed(
          Map.of(
              "internal.example", "10.0.0.5",
              "media.example", "93.184.216.34",
              "mixed.example", "93.184.216.34,192.168.1.20",
              "v6.example", "2606:2800:220:1:248:1893:25c8:1946",
              "v6private.example", "fd12:3456::1",
              "localhost", "127.0.0.1"));

  private static AddressGuard guard(String... allowed) {
    return new AddressGuard(List.of(allowed), "source", SETTING, DNS);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1              | loopback",
        "127.1.2.3              | loopback",
        "10.0.0.1               | private",
        "10.255.255.255         | private",
        "172.16.0.1             | private",
        "172.31.255.254         | private",
        "192.168.0.1            | private",
        "169.254.169.254        | cloud metadata",
        "169.254.1.1            | link-local",
        "0.0.0.0                | unspecified",
        "100.64.0.1             | carrier-grade NAT",
        "224.0.0.1              | multicast",
        "255.255.255.255        | reserved",
        "::1                    | loopback",
        "[::1]                  | loopback",
        "::                     | unspecified",
        "fe80::1                | link-local",
        "fc00::1                | private",
        "fd00:ec2::254          | private",
        "ff02::1                | multicast",
        "::ffff:127.0.0.1       | loopback",
        "[::ffff:169.254.169.254] | cloud metadata",
        "::ffff:10.1.2.3        | private",
        "::127.0.0.1            | loopback",
        "64:ff9b::a9fe:a9fe     | cloud metadata",
        "2002:7f00:1::          | loopback",
        "64:ff9b:1::a9fe:a9fe   | local-use NAT64",
        "64:ff9b:1:ffff::808:808 | local-use NAT64",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo",
        "2001::1                | Teredo",
        "::ffff:0:7f00:1        | IPv4-translated loopback",
        "::ffff:0:808:808       | IPv4-translated",
      })
  void refusesInternalAddressLiterals(String host, String kind) {
    assertThatThrownBy(() -> guard().resolve(host))
        .isInstanceOf(AddressRefusedException.class)
        .hasMessageContaining("'" + host + "'")
        .hasMessageContaining(kind)
        .hasMessageContaining(SETTING);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2130706433   | 127.0.0.1",
        "0177.0.0.1   | 127.0.0.1",
        "0x7f.1       | 127.0.0.1",
        "0x7f000001   | 127.0.0.1",
        "127.1        | 127.0.0.1",
        "0251.0376.0251.0376 | 169.254.169.254",
        "012.0.0.1    | 10.0.0.1",
        "010.0.0.1    | 8.0.0.1",
      })
  void refusesNonCanonicalNumericHosts(String host, String readAs) {
    assertThatThrownBy(() -> guard().checkHost(host))
        .isInstanceOf(AddressRefusedException.class)
        .hasMessageContaining("non-canonical numeric address")
        .hasMessageContaining("read as " + readAs);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "LOCALHOST.", "api.localhost", "metadata.google.internal", "Metadata.Google.Internal.",
          "metadata"})
  void refusesLocalAndMetadataNamesWithoutResolvingThem(String host) {
    AddressGuard guard =
        new AddressGuard(List.of(), "source", SETTING, h -> {
          throw new AssertionError("resolved " + h);
        });
    assertThatThrownBy(() -> guard.checkHost(host)).isInstanceOf(AddressRefusedException.class);
    assertThatThrownBy(() -> guard.resolve(host)).isInstanceOf(AddressRefusedException.class);
  }

  @Test
  void refusesAHostNameThatResolvesToAPrivateAddress() {
    assertThatThrownBy(() -> guard().resolve("internal.example"))
        .isInstanceOf(AddressRefusedException.class)
        .hasMessage(
            "source host 'internal.example' resolves to 10.0.0.5, a private address; refused (set "
                + SETTING
                + " to permit it)");
    assertThatThrownBy(() -> guard().resolve("v6private.example"))
        .isInstanceOf(AddressRefusedException.class)
        .hasMessageContaining("fd12:3456:0:0:0:0:0:1");
  }

  @Test
  void refusesAHostWhenAnyOfItsAddressesIsInternal() {
    assertThatThrownBy(() -> guard().resolve("mixed.example"))
        .isInstanceOf(AddressRefusedException.class)
        .hasMessageContaining("192.168.1.20");
  }

  @Test
  void returnsEveryCheckedAddressOfAPublicHost() throws Exception {
    assertThat(guard().resolve("media.example")).containsExactly(InetAddress.getByName("93.184.216.34"));
    assertThat(guard().resolve("Media.Example.")).containsExactly(InetAddress.getByName("93.184.216.34"));
    assertThat(guard().resolve("v6.example")).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "[2606:4700::1111]", "2001:db8:1::1", "64:ff9b::808:808"})
  void allowsPublicAddresses(String host) throws Exception {
    assertThat(guard().resolve(host)).hasSize(1);
  }

  @Test
  void unknownHostsAreNotRefused() {
    assertThatThrownBy(() -> guard().resolve("nowhere.example")).isExactlyInstanceOf(UnknownHostException.class);
  }

  @Test
  void explicitAllowListsLetNamesAddressesAndRangesThrough() throws Exception {
    assertThat(guard("localhost").resolve("localhost")).containsExactly(InetAddress.getByName("127.0.0.1"));
    assertThat(guard("internal.example").resolve("internal.example")).hasSize(1);
    assertThat(guard("10.0.0.0/8").resolve("internal.example")).hasSize(1);
    assertThat(guard("10.0.0.5").resolve("internal.example")).hasSize(1);
    assertThat(guard("127.0.0.1").resolve("127.0.0.1")).hasSize(1);
    assertThat(guard("::1/128").resolve("[::1]")).hasSize(1);
    assertThat(guard("::ffff:0:0/96").resolve("10.9.8.7")).hasSize(1);
    assertThatCode(() -> guard("127.0.0.1").checkAddress("anything", InetAddress.getByName("127.0.0.1")))
        .doesNotThrowAnyException();

    // an allowed range does not stretch beyond itself
    assertThatThrownBy(() -> guard("10.0.0.0/24").resolve("mixed.example")).isInstanceOf(AddressRefusedException.class);
    assertThatThrownBy(() -> guard("10.0.1.0/24").resolve("internal.example"))
        .isInstanceOf(AddressRefusedException.class);
    assertThatThrownBy(() -> guard("127.0.0.1").resolve("::1")).isInstanceOf(AddressRefusedException.class);
    assertThatThrownBy(() -> guard("127.0.0.1").resolve("169.254.169.254"))
        .isInstanceOf(AddressRefusedException.class);
    // allowing an address does not allow its non-canonical spellings
    assertThatThrownBy(() -> guard("127.0.0.1").checkHost("2130706433")).isInstanceOf(AddressRefusedException.class);
  }

  @Test
  void checksTheAddressAConnectionActuallyUses() throws Exception {
    AddressGuard guard = guard();
    assertThatCode(() -> guard.checkAddress("media.example", InetAddress.getByName("93.184.216.34")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> guard.checkAddress("media.example", InetAddress.getByName("127.0.0.1")))
        .isInstanceOf(AddressRefusedException.class)
        .hasMessageContaining("'media.example' resolves to 127.0.0.1, a loopback address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "::1/129", "example.com/8", "10.0.0.0/x"})
  void badAllowListEntriesFailFast(String entry) {
    assertThatThrownBy(() -> guard(entry)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(SETTING);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fe80::1%nosuchinterface0", "::1::2", ""})
  void malformedHostsAreRefused(String host) {
    assertThatThrownBy(() -> guard().checkHost(host)).isInstanceOf(AddressRefusedException.class);
  }
}
