package io.videopipe.temporal;

import io.grpc.health.v1.HealthCheckResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.videopipe.config.VideoPipeProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The Temporal server of the local role, decided once per application from {@link LocalTemporalProperties}: a CLI
 * server started here ({@link Kind#START}), one already answering on {@code videopipe.temporal.address} (the {@code
 * process} command, {@link Kind#ATTACH}), or the in-memory test server ({@link Kind#EMBEDDED}).
 */
public record LocalServerChoice(Kind kind, Path cli, String address) {
  public enum Kind {
    START,
    ATTACH,
    EMBEDDED
  }

  private static final Map<Environment, LocalServerChoice> CHOSEN = new WeakHashMap<>();

  /** The same answer for every bean condition of one application, so exactly one server is configured. */
  public static LocalServerChoice of(Environment env) {
    synchronized (CHOSEN) {
      return CHOSEN.computeIfAbsent(env, LocalServerChoice::decide);
    }
  }

  private static LocalServerChoice decide(Environment env) {
    LocalTemporalProperties local =
        Binder.get(env).bindOrCreate("videopipe.temporal.local", LocalTemporalProperties.class);
    String address = VideoPipeProperties.bind(env).temporal().address();
    if (!env.acceptsProfiles(Profiles.of("local")) || local.server().equals("embedded")) {
      return new LocalServerChoice(Kind.EMBEDDED, null, address);
    }
    if (env.acceptsProfiles(Profiles.of("process")) && answers(address)) {
      return new LocalServerChoice(Kind.ATTACH, null, address);
    }
    Optional<Path> cli = TemporalCli.find(local.cli());
    if (local.server().equals("cli") && cli.isEmpty()) {
      throw new IllegalStateException(
          "videopipe.temporal.local.server=cli but no Temporal CLI was found: " + TemporalCli.INSTALL_HINT);
    }
    boolean process = env.acceptsProfiles(Profiles.of("process"));
    boolean start = cli.isPresent() && (local.server().equals("cli") || !process);
    if (cli.isEmpty() && !process) {
      LoggerFactory.getLogger(LocalServerChoice.class).info(
          "Temporal: the in-memory test server (no Web UI; jobs are forgotten when this JVM stops). For a real local"
              + " server with the Web UI and persistence, {}", TemporalCli.INSTALL_HINT);
    }
    return start ? new LocalServerChoice(Kind.START, cli.get(), address)
        : new LocalServerChoice(Kind.EMBEDDED, null, address);
  }

  /** A Temporal frontend serves on {@code address} (one second at most). */
  static boolean answers(String address) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address).setRpcTimeout(Duration.ofSeconds(1))
            .validateAndBuildWithDefaults());
    try {
      return stubs.healthCheck().getStatus() == HealthCheckResponse.ServingStatus.SERVING;
    } catch (RuntimeException e) {
      return false;
    } finally {
      stubs.shutdownNow();
    }
  }

  /** Beans of the in-memory server. */
  public static final class Embedded implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return of(context.getEnvironment()).kind() == Kind.EMBEDDED;
    }
  }

  /** Beans of a real server, started here or attached to. */
  public static final class Real implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return of(context.getEnvironment()).kind() != Kind.EMBEDDED;
    }
  }
}
