package io.videopipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.temporal.api.enums.v1.IndexedValueType;
import io.videopipe.config.EnvironmentAliases;
import io.videopipe.config.VideoPipeProperties;
import io.videopipe.pipeline.SearchAttributes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * Structure checks of the deployment files (no Docker engine, no cloud): the compose service graph, the search
 * attributes the setup creates, the Kubernetes manifests and Terraform formatting. The queue names come from the
 * application's own settings (queue names and their environment names) and the search attributes from {@link SearchAttributes#definitions()}.
 */
class DeploymentFilesTest {
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?[-?]([^}]*))?}");
  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|PWD|SECRET|API_KEY|TOKEN).*");
  private static final Set<String> ONE_SHOT = Set.of("temporal-schema", "temporal-setup");
  private static final Set<String> APP_SERVICES = Set.of("api", "worker-cpu", "worker-gpu");

  private static Path root;
  private static Map<String, Object> compose;
  private static Map<String, Map<String, Object>> services;
  private static Map<String, String> queueDefaults;

  @BeforeAll
  static void load() throws IOException {
    root = repositoryRoot();
    compose = yaml(root.resolve("docker-compose.yml"));
    services = new LinkedHashMap<>();
    map(compose.get("services")).forEach((name, body) -> services.put(name, map(body)));
    queueDefaults = queueDefaultsFromApplication();
  }

  @Test
  void composeHasTheWholeServiceGraph() {
    assertThat(services.keySet())
        .contains("postgresql", "temporal-schema", "temporal", "temporal-setup", "temporal-ui")
        .containsAll(APP_SERVICES);
  }

  @Test
  void everyComposeImageIsPinnedToAVersion() {
    services.forEach(
        (name, service) -> {
          assertThat(service).as(name + " has an image").containsKey("image");
          String image = resolveDefaults(String.valueOf(service.get("image")));
          assertThat(tagOf(image)).as(name + ": " + image + " names a tag").isNotBlank();
          assertThat(tagOf(image)).as(name + ": " + image).isNotEqualToIgnoringCase("latest");
          assertThat(tagOf(image)).as(name + ": " + image + " carries a version").matches(".*\\d.*");
        });
  }

  @Test
  void everyLongRunningServiceHasAHealthCheckAndOneShotsDoNotRestart() {
    services.forEach(
        (name, service) -> {
          if (ONE_SHOT.contains(name)) {
            assertThat(String.valueOf(service.get("restart"))).as(name + " runs once").isEqualTo("no");
          } else {
            assertThat(service).as(name + " has a healthcheck").containsKey("healthcheck");
            assertThat(map(service.get("healthcheck"))).as(name).containsKey("test");
          }
        });
  }

  @Test
  void servicesStartInOrder() {
    assertThat(condition("temporal-schema", "postgresql")).isEqualTo("service_healthy");
    assertThat(condition("temporal", "temporal-schema")).isEqualTo("service_completed_successfully");
    assertThat(condition("temporal-setup", "temporal")).isEqualTo("service_healthy");
    assertThat(condition("temporal-ui", "temporal")).isEqualTo("service_healthy");
    for (String app : APP_SERVICES) {
      assertThat(condition(app, "temporal-setup")).as(app).isEqualTo("service_completed_successfully");
      assertThat(condition(app, "temporal")).as(app).isEqualTo("service_healthy");
    }
  }

  @Test
  void portsAreTheDocumentedOnesAndWorkersScale() {
    assertThat(containerPorts("api")).containsExactly("8080");
    assertThat(hostPorts("api")).containsExactly("8080");
    assertThat(containerPorts("temporal-ui")).containsExactly("8080");
    assertThat(hostPorts("temporal-ui")).containsExactly("8233");
    assertThat(containerPorts("temporal")).containsExactly("7233");
    for (String worker : List.of("worker-cpu", "worker-gpu")) {
      // docker compose up --scale worker-cpu=N needs no fixed host port and no container name
      assertThat(services.get(worker)).as(worker).doesNotContainKeys("ports", "container_name");
    }
    assertThat(services.get("postgresql")).as("the database stays inside the compose network").doesNotContainKey("ports");
  }

  @Test
  void gpuWorkerIsInTheGpuProfileWithAnNvidiaReservation() {
    Map<String, Object> gpu = services.get("worker-gpu");
    assertThat(list(gpu.get("profiles"))).containsExactly("gpu");
    List<Object> devices = list(map(map(map(gpu.get("deploy")).get("resources")).get("reservations")).get("devices"));
    assertThat(devices).hasSize(1);
    Map<String, Object> device = map(devices.get(0));
    assertThat(device.get("driver")).isEqualTo("nvidia");
    assertThat(list(device.get("capabilities"))).contains("gpu");
    assertThat(String.valueOf(map(gpu.get("build")).get("dockerfile"))).isEqualTo("Dockerfile.gpu");
    for (String name : services.keySet()) {
      if (!name.equals("worker-gpu")) {
        assertThat(services.get(name)).as(name + " runs without a GPU").doesNotContainKey("profiles");
      }
    }
  }

  @Test
  void bothImagesCapMallocArenasAndNothingUndoesIt() throws IOException {
    // the grid's 120-min point: 897 MiB peak RSS with the cap, 1101 MiB without (docs/performance.md)
    for (String image : List.of("Dockerfile", "Dockerfile.gpu")) {
      String text = Files.readString(root.resolve(image), StandardCharsets.UTF_8);
      Matcher env = Pattern.compile("(?m)^ENV (?:[^\\n]*\\\\\\n)*?\\s*MALLOC_ARENA_MAX=(\\d+)").matcher(text);
      assertThat(env.find()).as(image + " sets MALLOC_ARENA_MAX in an ENV").isTrue();
      assertThat(env.group(1)).as(image).isEqualTo("2");
    }
    for (String name : APP_SERVICES) {
      assertThat(String.valueOf(services.get(name).get("environment"))).as(name).doesNotContain("MALLOC_ARENA_MAX");
    }
  }

  @Test
  void workerQueuesAreTheApplicationDefaults() {
    assertThat(queueDefaults).containsOnlyKeys("VIDEOPIPE_CPU_QUEUE", "VIDEOPIPE_GPU_QUEUE");
    for (String app : APP_SERVICES) {
      Map<String, Object> env = map(services.get(app).get("environment"));
      queueDefaults.forEach(
          (variable, queue) -> assertThat(String.valueOf(env.get(variable))).as(app + " " + variable).isEqualTo(queue));
      assertThat(String.valueOf(env.get("TEMPORAL_ADDRESS"))).as(app).isEqualTo("temporal:7233");
    }
    assertThat(String.valueOf(env("worker-cpu").get("SPRING_PROFILES_ACTIVE"))).isEqualTo("cpu-worker");
    assertThat(String.valueOf(env("worker-gpu").get("SPRING_PROFILES_ACTIVE"))).isEqualTo("gpu-worker");
    assertThat(String.valueOf(env("api").get("SPRING_PROFILES_ACTIVE"))).isEqualTo("api");
  }

  @Test
  void searchAttributesCreatedAtStartAreTheWorkflowsOnes() throws IOException {
    Map<String, Object> setup = services.get("temporal-setup");
    assertThat(String.valueOf(setup.get("image"))).startsWith("temporalio/admin-tools:");
    assertThat(String.valueOf(list(setup.get("volumes"))))
        .contains("./deploy/temporal/create-search-attributes.sh:/scripts/create-search-attributes.sh");
    assertThat(list(setup.get("entrypoint"))).containsExactly("sh", "/scripts/create-search-attributes.sh");

    Map<String, String> expected = new LinkedHashMap<>();
    SearchAttributes.definitions().forEach((name, type) -> expected.put(name, cliType(type)));
    assertThat(expected).containsEntry("VpStep", "Keyword").containsEntry("VpEngine", "Keyword")
        .containsEntry("VpPriority", "Int").containsEntry("VpCostUsd", "Double").containsEntry("VpStatus", "Keyword");
    assertThat(scriptAttributes(Files.readString(root.resolve("deploy/temporal/create-search-attributes.sh"))))
        .containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void noSecretValueIsWrittenInTheComposeFileOrTheEnvExample() throws IOException {
    for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
      Object environment = service.getValue().get("environment");
      if (environment == null) {
        continue;
      }
      map(environment)
          .forEach(
              (key, value) -> {
                if (SECRET_NAME.matcher(key).matches()) {
                  assertThat(String.valueOf(value))
                      .as(service.getKey() + " " + key + " comes from .env, not from the file")
                      .matches("\\$\\{[A-Z0-9_]+(:?[-?][^}]*)?}");
                  Matcher m = INTERPOLATION.matcher(String.valueOf(value));
                  assertThat(m.matches()).isTrue();
                  String fallback = m.group(2);
                  if (value.toString().contains(":-") && fallback != null) {
                    assertThat(fallback).as(service.getKey() + " " + key + " has no default secret").isEmpty();
                  }
                }
              });
    }
    for (String line : Files.readAllLines(root.resolve(".env.example"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String key = line.substring(0, line.indexOf('='));
      String value = line.substring(line.indexOf('=') + 1);
      if (SECRET_NAME.matcher(key).matches()) {
        assertThat(value).as(".env.example " + key + " is a placeholder").isIn("", "change-me");
      }
    }
  }

  @Test
  void temporalHelmValuesUseCloudSqlAndTheComposeVersions() throws IOException {
    Map<String, Object> values = yaml(root.resolve("deploy/helm/temporal-values.yaml"));
    Map<String, Object> server = map(values.get("server"));
    Map<String, Object> persistence = map(map(server.get("config")).get("persistence"));
    for (String store : List.of("default", "visibility")) {
      Map<String, Object> sql = map(map(persistence.get(store)).get("sql"));
      assertThat(map(persistence.get(store)).get("driver")).as(store).isEqualTo("sql");
      assertThat(sql.get("driver")).as(store).isEqualTo("postgres12");
      assertThat(sql).as(store + ": password from a secret, never inline").containsKey("existingSecret").doesNotContainKey("password");
      assertThat(map(sql.get("tls")).get("enabled")).as(store + ": Cloud SQL accepts TLS only").isEqualTo(true);
    }
    for (String bundled : List.of("cassandra", "mysql", "postgresql", "elasticsearch", "prometheus", "grafana")) {
      assertThat(map(values.get(bundled)).get("enabled")).as(bundled + " disabled").isEqualTo(false);
    }
    // The same server and UI versions as docker-compose, so a laptop and the cluster run one Temporal.
    String serverImage = resolveDefaults(String.valueOf(services.get("temporal").get("image")));
    assertThat(tagOf(serverImage)).isEqualTo(String.valueOf(map(server.get("image")).get("tag")));
    String uiImage = resolveDefaults(String.valueOf(services.get("temporal-ui").get("image")));
    assertThat(tagOf(uiImage)).isEqualTo(String.valueOf(map(map(values.get("web")).get("image")).get("tag")));
  }

  @Test
  void terraformIsFormatted() throws Exception {
    Path terraform = root.resolve("terraform");
    assertThat(terraform.resolve("variables.tf")).exists();
    boolean onPath =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "terraform")));
    assumeTrue(onPath, "terraform is not on the PATH: `terraform fmt -check -recursive terraform` skipped");
    Process process =
        new ProcessBuilder("terraform", "fmt", "-check", "-recursive", "-no-color", terraform.toString())
            .redirectErrorStream(true)
            .start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("terraform fmt finished").isTrue();
    assertThat(process.exitValue()).as("terraform fmt -check lists unformatted files:\n" + output).isZero();
  }

  @Test
  void kubernetesManifestsParseAndMatchCompose() throws IOException {
    Path dir = root.resolve("deploy/k8s");
    List<Map<String, Object>> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          for (Object doc : new Yaml().loadAll(in)) {
            if (doc != null) {
              Map<String, Object> m = map(doc);
              assertThat(m).as(file.getFileName() + " documents have a kind").containsKey("kind");
              documents.add(m);
            }
          }
        }
      }
    }
    Set<String> composeImages = new LinkedHashSet<>();
    for (String app : APP_SERVICES) {
      composeImages.add(resolveDefaults(String.valueOf(services.get(app).get("image"))));
    }

    Map<String, Map<String, Object>> deployments = new LinkedHashMap<>();
    for (Map<String, Object> doc : documents) {
      if ("Deployment".equals(doc.get("kind"))) {
        deployments.put(String.valueOf(map(doc.get("metadata")).get("name")), doc);
      }
    }
    assertThat(deployments).containsOnlyKeys("api", "worker-cpu", "worker-gpu");
    for (Map.Entry<String, Map<String, Object>> d : deployments.entrySet()) {
      Map<String, Object> container = map(list(podSpec(d.getValue()).get("containers")).get(0));
      assertThat(String.valueOf(container.get("image"))).as(d.getKey()).isIn(composeImages);
      assertThat(String.valueOf(container.get("image"))).as(d.getKey())
          .isEqualTo(resolveDefaults(String.valueOf(services.get(d.getKey()).get("image"))));
      assertThat(container).as(d.getKey() + " probes").containsKeys("readinessProbe", "livenessProbe");
    }
    Map<String, Object> gpuContainer = map(list(podSpec(deployments.get("worker-gpu")).get("containers")).get(0));
    assertThat(map(map(gpuContainer.get("resources")).get("limits"))).containsEntry("nvidia.com/gpu", "1");
    assertThat(map(podSpec(deployments.get("worker-gpu")).get("nodeSelector")))
        .containsEntry("cloud.google.com/gke-accelerator", "nvidia-l4");

    Map<String, Object> config = byKindAndName(documents, "ConfigMap", "videopipe-config");
    queueDefaults.forEach(
        (variable, queue) -> assertThat(map(config.get("data"))).as(variable).containsEntry(variable, queue));

    Map<String, Object> gpuScaler = byKindAndName(documents, "ScaledObject", "worker-gpu");
    Map<String, Object> cpuScaler = byKindAndName(documents, "ScaledObject", "worker-cpu");
    assertThat(map(gpuScaler.get("spec")).get("minReplicaCount")).as("GPU workers scale to zero").isEqualTo(0);
    assertThat(trigger(gpuScaler)).containsEntry("taskQueue", queueDefaults.get("VIDEOPIPE_GPU_QUEUE"));
    assertThat(trigger(cpuScaler)).containsEntry("taskQueue", queueDefaults.get("VIDEOPIPE_CPU_QUEUE"));
    assertThat(((Number) map(cpuScaler.get("spec")).get("minReplicaCount")).intValue()).isGreaterThanOrEqualTo(1);

    Map<String, Object> script = byKindAndName(documents, "ConfigMap", "temporal-setup-script");
    assertThat(String.valueOf(map(script.get("data")).get("create-search-attributes.sh")))
        .as("the Kubernetes setup job runs the same script as compose")
        .isEqualTo(Files.readString(root.resolve("deploy/temporal/create-search-attributes.sh")));
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static Map<String, Object> trigger(Map<String, Object> scaledObject) {
    Map<String, Object> trigger = map(list(map(scaledObject.get("spec")).get("triggers")).get(0));
    assertThat(trigger.get("type")).isEqualTo("temporal");
    return map(trigger.get("metadata"));
  }

  private static Map<String, Object> podSpec(Map<String, Object> deployment) {
    return map(map(map(deployment.get("spec")).get("template")).get("spec"));
  }

  private static Map<String, Object> byKindAndName(List<Map<String, Object>> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> kind.equals(d.get("kind")) && name.equals(map(d.get("metadata")).get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/k8s"));
  }

  private static Map<String, Object> env(String service) {
    return map(services.get(service).get("environment"));
  }

  private static String condition(String service, String dependency) {
    Object dependsOn = services.get(service).get("depends_on");
    assertThat(dependsOn).as(service + " depends_on in long form").isInstanceOf(Map.class);
    Map<String, Object> dep = map(map(dependsOn).get(dependency));
    assertThat(dep).as(service + " depends on " + dependency).isNotNull();
    return String.valueOf(dep.get("condition"));
  }

  private static List<String> containerPorts(String service) {
    return ports(service, true);
  }

  private static List<String> hostPorts(String service) {
    return ports(service, false);
  }

  /** Short syntax [ip:]host:container, with ${VAR:-default} resolved. */
  private static List<String> ports(String service, boolean container) {
    List<String> out = new ArrayList<>();
    for (Object p : list(services.get(service).get("ports"))) {
      String[] parts = resolveDefaults(String.valueOf(p)).split(":");
      out.add(container ? parts[parts.length - 1] : parts[parts.length - 2]);
    }
    return out;
  }

  /** VIDEOPIPE_CPU_QUEUE -> video-cpu and the like: the queues' aliases and defaults (VideoPipeProperties). */
  private static Map<String, String> queueDefaultsFromApplication() {
    VideoPipeProperties props =
        new Binder(new MapConfigurationPropertySource()).bindOrCreate("videopipe", VideoPipeProperties.class);
    Map<String, String> defaults =
        Map.of("videopipe.queues.cpu", props.queues().cpu(), "videopipe.queues.gpu", props.queues().gpu());
    Map<String, String> out = new LinkedHashMap<>();
    EnvironmentAliases.ALIASES.forEach((alias, property) -> {
      if (defaults.containsKey(property)) {
        out.put(alias, defaults.get(property));
      }
    });
    return out;
  }

  private static Map<String, String> scriptAttributes(String script) {
    Matcher block = Pattern.compile("ATTRIBUTES='\\n(.*?)'", Pattern.DOTALL).matcher(script);
    assertThat(block.find()).as("create-search-attributes.sh has an ATTRIBUTES block").isTrue();
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : block.group(1).split("\\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2) {
        out.put(parts[0], parts[1]);
      }
    }
    return out;
  }

  /** INDEXED_VALUE_TYPE_KEYWORD_LIST -> KeywordList, as the temporal CLI spells types. */
  private static String cliType(IndexedValueType type) {
    StringBuilder out = new StringBuilder();
    for (String word : type.name().replace("INDEXED_VALUE_TYPE_", "").split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase());
    }
    return out.toString();
  }

  private static String resolveDefaults(String value) {
    Matcher m = INTERPOLATION.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String tagOf(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = withoutDigest.lastIndexOf('/');
    int colon = withoutDigest.lastIndexOf(':');
    return colon > slash ? withoutDigest.substring(colon + 1) : "";
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a docker-compose.yml above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return map(new Yaml().load(in));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }
}
