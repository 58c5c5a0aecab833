package io.videopipe.download;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The source rules as the API applies them at submit: the download's own resolver, without fetching anything. */
class SourceResolverTest {

  @Test
  void gsSourcesAreLimitedToTheAllowedBuckets() {
    SourceResolver sources =
        SourceResolver.forAdmission(DownloadSettings.deployed().withAllowedBuckets(List.of("media-in")));
    assertThatCode(() -> sources.admit("gs://media-in/talks/a.mp4")).doesNotThrowAnyException();
    assertThatThrownBy(() -> sources.admit("gs://payroll/2026/salaries.mp4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bucket 'payroll'")
        .hasMessageContaining("videopipe.download.allowed-buckets");
    // without a list, any bucket the worker's credentials can read
    assertThatCode(() -> SourceResolver.forAdmission(DownloadSettings.deployed()).admit("gs://payroll/a.mp4"))
        .doesNotThrowAnyException();
  }

  @Test
  void refusalsNameTheReasonAndTheSettingToChange() {
    SourceResolver deployed = SourceResolver.forAdmission(DownloadSettings.deployed());
    assertThatThrownBy(() -> deployed.admit("http://example.com/a.mp4"))
        .hasMessageContaining("videopipe.download.allow-plain-http");
    assertThatThrownBy(() -> deployed.admit("file:///etc/passwd"))
        .hasMessageContaining("videopipe.download.allow-local-files");
    assertThatThrownBy(() -> deployed.admit("ftp://example.com/a.mp4"))
        .hasMessageContaining("unsupported source scheme 'ftp'");
    SourceResolver plainHttp = SourceResolver.forAdmission(DownloadSettings.deployed().withAllowPlainHttp(true));
    for (String internal : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/a.mp4")) {
      assertThatThrownBy(() -> plainHttp.admit(internal))
          .as(internal)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("videopipe.download.allowed-hosts");
    }
  }
}
