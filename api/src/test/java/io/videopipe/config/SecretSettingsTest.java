package io.videopipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.videopipe.VideoPipeApplication;
import io.videopipe.codec.CodecProperties;
import io.videopipe.security.SecurityProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The secrets, given by their deployment names, reach their settings and nowhere else: not the log, not the actuator's
 * env and configprops answers even when an operator exposes them.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretSettingsTest {
  static final String DEEPGRAM = "dg-secret-4b1e9d";
  static final String WEBHOOK = "whsec-secret-7c2a51";
  static final String BOOTSTRAP = "boot-secret-91f3aa";
  static final String CODEC = "c2VjcmV0LWNvZGVjLWtleS0zMi1ieXRlcy1sb25nISE=";
  static final List<String> SECRETS = List.of(DEEPGRAM, WEBHOOK, BOOTSTRAP, CODEC);

  @TempDir Path dir;

  @Test
  void theActuatorExposesNeitherEnvNorConfigprops() throws IOException {
    PropertySource<?> yml =
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml")).get(0);
    assertThat(String.valueOf(yml.getProperty("management.endpoints.web.exposure.include")))
        .doesNotContain("env", "configprops", "*");
  }

  @Test
  void secretsBindByTheirDeploymentNamesAndStayOutOfLogsAndTheActuator(CapturedOutput output) throws Exception {
    try (ConfigurableApplicationContext ctx =
        new SpringApplication(VideoPipeApplication.class)
            .run(
                "--spring.profiles.active=local",
                "--server.port=0",
                "--videopipe.temporal.local.server=embedded",
                "--videopipe.storage.root=" + dir.resolve("data"),
                "--videopipe.storage.work-dir=" + dir.resolve("work"),
                "--DEEPGRAM_API_KEY=" + DEEPGRAM,
                "--VIDEOPIPE_WEBHOOK_SECRET=" + WEBHOOK,
                "--VIDEOPIPE_BOOTSTRAP_KEY=" + BOOTSTRAP,
                "--videopipe.codec.key=" + CODEC,
                "--management.endpoints.web.exposure.include=health,env,configprops")) {
      VideoPipeProperties props = ctx.getBean(VideoPipeProperties.class);
      assertThat(props.engines().deepgram().apiKey()).isEqualTo(DEEPGRAM);
      assertThat(props.webhooks().secret()).isEqualTo(WEBHOOK);
      assertThat(ctx.getBean(SecurityProperties.class).bootstrapKey()).isEqualTo(BOOTSTRAP);
      assertThat(ctx.getBean(CodecProperties.class).key()).isEqualTo(CODEC);

      String base = "http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort();
      HttpClient http = HttpClient.newHttpClient();
      for (String path :
          List.of("/actuator/env", "/actuator/configprops", "/actuator/env/videopipe.webhooks.secret",
              "/actuator/env/DEEPGRAM_API_KEY")) {
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(URI.create(base + path)).header("X-API-Key", BOOTSTRAP).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path).isEqualTo(200);
        assertThat(answer.body()).as(path).doesNotContain(SECRETS);
      }
      // the settings were logged, without their values
      assertThat(output.getAll()).contains("webhooks: WebhookSettings[signed=true").contains("apiKey=(set)");
    }
    assertThat(output.getAll()).doesNotContain(SECRETS);
  }
}
