package io.videopipe.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipOptionsTest {
  static ClipOptions of(boolean vertical, String aspect, String... aspects) {
    return new ClipOptions(-14, -1, vertical, false, aspect, false, aspects.length == 0 ? null : Arrays.asList(aspects));
  }

  @Test
  void severalAspectsMakeTheFirstThePrimary() {
    ClipOptions o = of(false, null, "9:16", "source", "1:1");
    assertThat(o.aspect()).isEqualTo("9:16");
    assertThat(o.vertical()).isTrue();
    assertThat(o.outputAspects()).containsExactly("9:16", "source", "1:1");
    assertThat(o.forAspect("1:1").outputAspects()).containsExactly("1:1");
    assertThat(o.forAspect("1:1").aspects()).isNull();
    // aspect or vertical may repeat the first entry
    assertThat(of(true, "9:16", "9:16", "1:1")).isEqualTo(of(false, null, "9:16", "1:1"));
  }

  @Test
  void withoutAspectsEverythingStaysAsBefore() {
    assertThat(of(true, null).outputAspects()).containsExactly("9:16");
    assertThat(of(false, null).outputAspects()).containsExactly("source");
    assertThat(of(false, "1:1").aspects()).isNull();
    // one entry is the same as aspect alone
    assertThat(of(false, null, "1:1")).isEqualTo(of(false, "1:1"));
    assertThat(new ClipOptions(-14, -1, false, false, null, false, List.of())).isEqualTo(ClipOptions.defaults());
  }

  @Test
  void contradictionsRepeatsAndUnknownAspectsAreRefusedNamingTheFields() {
    assertThatThrownBy(() -> of(false, "1:1", "source", "9:16"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aspect 1:1 contradicts aspects");
    assertThatThrownBy(() -> of(true, null, "source", "9:16"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vertical").hasMessageContaining("aspects");
    assertThatThrownBy(() -> of(false, null, "source", "source"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aspects must not repeat");
    assertThatThrownBy(() -> of(false, null, "source", "4:3"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aspects must each be one of");
    assertThatThrownBy(() -> of(false, null, "source", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aspects must each be one of");
  }
}
