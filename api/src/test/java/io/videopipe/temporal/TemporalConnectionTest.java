package io.videopipe.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.videopipe.config.VideoPipeProperties;
import org.junit.jupiter.api.Test;

class TemporalConnectionTest {

  static VideoPipeProperties.Temporal temporal(boolean tls, String cert, String key, String apiKey) {
    return new VideoPipeProperties.Temporal("ns.acct.tmprl.cloud:7233", "ns.acct", 7233, tls, cert, key, apiKey, "");
  }

  @Test
  void aLocalServerIsPlainGrpc() {
    WorkflowServiceStubsOptions o = TemporalConfiguration.serviceStubsOptions(temporal(false, "", "", ""));

    assertThat(o.getTarget()).isEqualTo("ns.acct.tmprl.cloud:7233");
    assertThat(o.getEnableHttps()).isFalse();
    assertThat(o.getGrpcMetadataProviders()).isNullOrEmpty();
  }

  @Test
  void anApiKeyTurnsOnTlsAndIsSentAsMetadataButNeverPrinted() {
    VideoPipeProperties.Temporal t = temporal(false, "", "", "secret-cloud-key");

    WorkflowServiceStubsOptions o = TemporalConfiguration.serviceStubsOptions(t);

    assertThat(o.getEnableHttps()).isTrue();
    assertThat(o.getGrpcMetadataProviders()).hasSize(1);
    assertThat(t.toString()).doesNotContain("secret-cloud-key").contains("apiKey=(set)");
  }

  @Test
  void halfAMutualTlsPairIsAClearStartUpError() {
    assertThatThrownBy(() -> TemporalConfiguration.serviceStubsOptions(temporal(true, "/etc/client.pem", "", "")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tls-cert-file and tls-key-file");
  }
}
