package io.videopipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.videopipe.fault.RoleProcess;
import io.videopipe.realserver.TemporalCliServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml's settings, run: the api and worker-cpu services start as JVMs from the packaged jar with exactly
 * the environment compose gives them (read from the file, interpolated with .env.example as the README's {@code cp
 * .env.example .env} would, plus an admin key), against a Temporal CLI dev server, and scripts/smoke-compose.sh runs
 * its job through them. It must complete.
 *
 * <p>What stands in for the containers, and nothing else is changed: host:port values naming a compose service
 * ({@code temporal:7233}) are rewritten to the test's server; values under a mounted container path ({@code /data},
 * {@code /samples}) to the host directory mounted there (a temporary directory, the repository's samples/);
 * {@code SERVER_PORT} is added for the published port (the containers all listen on 8080/8081 inside). worker-gpu
 * is not started: its image is another one (Dockerfile.gpu, CUDA ONNX Runtime) and compose reserves an NVIDIA device
 * for it, which a CPU machine does not have.
 */
@Tag("packaged")
class ComposeSettingsTest {
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?}");
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  static Map<String, Map<String, Object>> services;
  static Path dir;
  @RegisterExtension static final TemporalCliServer TEMPORAL = new TemporalCliServer();

  static final List<RoleProcess> roles = new ArrayList<>();
  static int apiPort;
  static Map<String, String> mounts;

  @BeforeAll
  static void startCompose() throws Exception {
    services = loadServices();
    dir = Files.createTempDirectory(Path.of("target"), "compose-settings-").toAbsolutePath();
    mounts = Map.of("/data", dir.resolve("data").toString(), "/samples", REPO.resolve("samples").toString());
    apiPort = RoleProcess.freePort();
    Path logs = dir.resolve("logs");
    RoleProcess worker = new RoleProcess("cpu-worker", logs, containerEnv("worker-cpu", RoleProcess.freePort()), "768m")
        .exactEnvironment();
    RoleProcess api = new RoleProcess("api", logs, containerEnv("api", apiPort), "384m").exactEnvironment();
    roles.add(worker.start());
    roles.add(api.start());
    worker.awaitStarted(Duration.ofMinutes(5));
    api.awaitStarted(Duration.ofMinutes(5));
  }

  @AfterAll
  static void stop() {
    roles.forEach(RoleProcess::close);
  }

  @Test
  void smokeJobCompletesWithComposeSettings() throws Exception {
    ProcessBuilder smoke = new ProcessBuilder("bash", REPO.resolve("scripts/smoke-compose.sh").toString())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("logs/smoke.log").toFile());
    smoke.environment().put("API_URL", "http://127.0.0.1:" + apiPort);
    smoke.environment().put("API_KEY", RoleProcess.apiKey());
    // the script's default source, seen from the worker's side of the /samples mount
    smoke.environment().put("SOURCE", hostPath("/samples/talk.mp4"));
    smoke.environment().put("TIMEOUT_S", "240");
    Process p = smoke.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("smoke-compose.sh ended").isTrue();
    String out = Files.readString(dir.resolve("logs/smoke.log"));
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("COMPLETED");
  }

  @Test
  void everyAppServiceEnvironmentIsTheOneStarted() {
    // what the roles got is the file's own settings: a setting added to compose reaches this test's JVMs too
    Map<String, String> worker = containerEnv("worker-cpu", 1);
    assertThat(worker).containsEntry("SPRING_PROFILES_ACTIVE", "cpu-worker")
        .containsEntry("TEMPORAL_ADDRESS", TEMPORAL.target())
        .containsEntry("VIDEOPIPE_DOWNLOAD_ALLOWLOCALFILES", "true")
        .containsEntry("VIDEOPIPE_DOWNLOAD_LOCALROOTS", REPO.resolve("samples").toString());
    assertThat(containerEnv("api", 1)).containsEntry("SPRING_PROFILES_ACTIVE", "api");
  }

  /** The environment compose gives {@code service}, with the container stand-ins described on the class. */
  static Map<String, String> containerEnv(String service, int publishedPort) {
    Map<String, String> dotEnv = dotEnvExample();
    dotEnv.put("VIDEOPIPE_BOOTSTRAP_KEY", RoleProcess.apiKey());
    Map<String, String> env = new LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    Map<String, Object> raw = (Map<String, Object>) services.get(service).get("environment");
    assertThat(raw).as(service + " environment in docker-compose.yml").isNotNull();
    raw.forEach((key, value) -> env.put(key, standIn(interpolate(String.valueOf(value), dotEnv))));
    env.put("SERVER_PORT", Integer.toString(publishedPort));
    return env;
  }

  /** host:port of a compose service becomes the test's server; a path under a mount becomes the host's path. */
  private static String standIn(String value) {
    if (value.matches("temporal:\\d+")) {
      return TEMPORAL.target();
    }
    List<String> parts = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      parts.add(hostPath(part.strip()));
    }
    return String.join(",", parts);
  }

  private static String hostPath(String containerPath) {
    for (Map.Entry<String, String> m : mounts.entrySet()) {
      if (containerPath.equals(m.getKey()) || containerPath.startsWith(m.getKey() + "/")) {
        return m.getValue() + containerPath.substring(m.getKey().length());
      }
    }
    return containerPath;
  }

  /** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}. */
  static String interpolate(String value, Map<String, String> dotEnv) {
    Matcher m = INTERPOLATION.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = dotEnv.get(m.group(1));
      String op = m.group(2);
      boolean unset = v == null || (op != null && op.startsWith(":") && v.isEmpty());
      if (unset && op != null && op.endsWith("?")) {
        throw new IllegalStateException(m.group(1) + ": " + m.group(3));
      }
      String resolved = unset ? (op != null && op.endsWith("-") ? m.group(3) : "") : v;
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Map<String, String> dotEnvExample() {
    Map<String, String> env = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(REPO.resolve(".env.example"))) {
        int eq = line.indexOf('=');
        if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
          env.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read .env.example", e);
    }
    return env;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> loadServices() throws IOException {
    try (InputStream in = Files.newInputStream(REPO.resolve("docker-compose.yml"))) {
      Map<String, Object> compose = new Yaml().load(in);
      return (Map<String, Map<String, Object>>) compose.get("services");
    }
  }
}
