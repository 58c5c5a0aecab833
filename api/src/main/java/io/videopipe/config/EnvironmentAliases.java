package io.videopipe.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The environment variables that name a setting other than by Spring's relaxed form (which needs no alias:
 * {@code VIDEOPIPE_STORAGE_ROOT} is {@code videopipe.storage.root} already, while {@code VIDEOPIPE_API_URL} would be
 * {@code videopipe.api.url}): the Temporal CLI's own names, and the
 * short names docker-compose, deploy/ and terraform/ set. An alias set in the environment (or as a system property or
 * command-line argument) stands for its setting; the setting under its own name (command line, system property,
 * relaxed environment variable) wins over the alias, and the alias over application.yml. The defaults stay where the
 * properties are; this table holds names only.
 */
public final class EnvironmentAliases implements EnvironmentPostProcessor {
  /** The property source that carries the aliased values, just below the system environment. */
  public static final String SOURCE_NAME = "videopipeEnvironmentAliases";

  /** Environment name to property name. docs/configuration.md lists them (SettingsTableTest checks it). */
  public static final Map<String, String> ALIASES = aliases(
      "VIDEOPIPE_API_URL", "videopipe.api-url",
      "TEMPORAL_ADDRESS", "videopipe.temporal.address",
      "TEMPORAL_NAMESPACE", "videopipe.temporal.namespace",
      "TEMPORAL_API_KEY", "videopipe.temporal.api-key",
      "TEMPORAL_TLS", "videopipe.temporal.tls",
      "TEMPORAL_TLS_CERT", "videopipe.temporal.tls-cert-file",
      "TEMPORAL_TLS_KEY", "videopipe.temporal.tls-key-file",
      "VIDEOPIPE_CPU_QUEUE", "videopipe.queues.cpu",
      "VIDEOPIPE_GPU_QUEUE", "videopipe.queues.gpu",
      "VIDEOPIPE_WORK_DIR", "videopipe.storage.work-dir",
      "VIDEOPIPE_MAX_SOURCE_BYTES", "videopipe.download.max-bytes",
      "VIDEOPIPE_ALLOWED_SOURCE_HOSTS", "videopipe.download.allowed-hosts",
      "VIDEOPIPE_LOCAL_ROOTS", "videopipe.download.local-roots",
      "VOSK_MODEL_DIR", "videopipe.engines.local.model-dir",
      "PARAKEET_MODEL_DIR", "videopipe.engines.parakeet.model-dir",
      "DEEPGRAM_BASE_URL", "videopipe.engines.deepgram.base-url",
      "DEEPGRAM_API_KEY", "videopipe.engines.deepgram.api-key",
      "VIDEOPIPE_WEBHOOK_SECRET", "videopipe.webhooks.secret",
      "VIDEOPIPE_BOOTSTRAP_KEY", "videopipe.security.bootstrap-key",
      "VIDEOPIPE_CODEC_CORS_ORIGINS", "videopipe.security.codec-cors-origins",
      "VIDEOPIPE_CODEC_KEY_ID", "videopipe.codec.key-id",
      "VIDEOPIPE_LLM_BASE_URL", "videopipe.highlights.llm.base-url",
      "VIDEOPIPE_LLM_MODEL", "videopipe.highlights.llm.model",
      "VIDEOPIPE_LLM_API_KEY", "videopipe.highlights.llm.api-key");

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    Map<String, Object> values = new LinkedHashMap<>();
    ALIASES.forEach(
        (alias, property) -> {
          String value = env.getProperty(alias);
          if (value != null) {
            values.put(property, value);
          }
        });
    if (values.isEmpty()) {
      return;
    }
    MapPropertySource source = new MapPropertySource(SOURCE_NAME, values);
    if (env.getPropertySources().contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
      env.getPropertySources().addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
    } else {
      env.getPropertySources().addLast(source);
    }
  }

  private static Map<String, String> aliases(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return Map.copyOf(map);
  }
}
