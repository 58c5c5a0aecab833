package io.videopipe.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceDisplayTest {
  @Test
  void everyUriInAMessageLosesItsCredentials() {
    // a query runs to the next space: the colon after it goes with it
    String message = "cannot list https://ops:PASSWORD1@media.example.com/in/?X-Goog-Signature=TOKEN2: HTTP 403;"
        + " also gs://bucket/a.mp4#frag and 'http://u@x/y?sig=TOKEN3'";
    assertThat(SourceDisplay.redactUris(message))
        .isEqualTo("cannot list https://media.example.com/in/ HTTP 403; also gs://bucket/a.mp4 and 'http://x/y'")
        .doesNotContain("PASSWORD1", "TOKEN2", "TOKEN3");
    assertThat(SourceDisplay.redactUris("no uri here")).isEqualTo("no uri here");
    assertThat(SourceDisplay.redactUris(null)).isNull();
  }
}
