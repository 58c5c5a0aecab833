package io.videopipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The short environment names stand for their settings, between the relaxed names and application.yml. */
class EnvironmentAliasesTest {

  static VideoPipeProperties bind(Map<String, Object> environment, Map<String, Object> files) {
    StandardEnvironment env = new StandardEnvironment();
    String system = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
    env.getPropertySources().replace(system, new SystemEnvironmentPropertySource(system, environment));
    env.getPropertySources().addLast(new MapPropertySource("application.yml", files));
    new EnvironmentAliases().postProcessEnvironment(env, new SpringApplication());
    return VideoPipeProperties.bind(env);
  }

  @Test
  void theDeploymentNamesBindTheirSettings() {
    VideoPipeProperties props =
        bind(
            Map.of(
                "TEMPORAL_ADDRESS", "temporal:7233",
                "VIDEOPIPE_CPU_QUEUE", "cpu-2",
                "VIDEOPIPE_WORK_DIR", "/scratch",
                "VIDEOPIPE_WEBHOOK_SECRET", "whsec-alias",
                "DEEPGRAM_API_KEY", "dg-alias",
                "VIDEOPIPE_API_URL", "https://videos.example",
                "VIDEOPIPE_ALLOWED_SOURCE_HOSTS", "10.0.0.0/8, media.internal"),
            Map.of());

    assertThat(props.temporal().address()).isEqualTo("temporal:7233");
    assertThat(props.queues().cpu()).isEqualTo("cpu-2");
    assertThat(props.queues().gpu()).isEqualTo("video-gpu");
    assertThat(props.storage().workDir()).isEqualTo("/scratch");
    assertThat(props.webhooks().secret()).isEqualTo("whsec-alias");
    assertThat(props.webhooks().settings().secret()).isEqualTo("whsec-alias");
    assertThat(props.engines().deepgram().apiKey()).isEqualTo("dg-alias");
    assertThat(props.apiUrl()).isEqualTo("https://videos.example");
    assertThat(props.download().allowedHosts()).containsExactly("10.0.0.0/8", "media.internal");
  }

  @Test
  void theRelaxedNameBeatsTheAliasAndTheAliasBeatsTheFiles() {
    VideoPipeProperties props =
        bind(
            Map.of(
                "TEMPORAL_NAMESPACE", "from-alias",
                "VIDEOPIPE_TEMPORAL_NAMESPACE", "from-relaxed-name",
                "TEMPORAL_ADDRESS", "alias:7233"),
            Map.of("videopipe.temporal.address", "file:7233", "videopipe.storage.root", "gs://from-file"));

    assertThat(props.temporal().namespace()).isEqualTo("from-relaxed-name");
    assertThat(props.temporal().address()).isEqualTo("alias:7233");
    assertThat(props.storage().root()).isEqualTo("gs://from-file");
  }

  @Test
  void withoutEnvironmentTheRecordsDefaultsHold() {
    VideoPipeProperties props = bind(Map.of(), Map.of());

    assertThat(props.temporal().address()).isEqualTo("127.0.0.1:7233");
    assertThat(props.webhooks().secret()).isEmpty();
    assertThat(props.webhooks().settings().connectTimeout()).hasSeconds(5);
    assertThat(props.engines().hybrid().refineSettings().confidenceThreshold()).isEqualTo(0.6);
    assertThat(props.clips().crf()).isEqualTo(21);
  }
}
