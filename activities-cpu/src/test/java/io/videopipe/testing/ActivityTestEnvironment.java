package io.videopipe.testing;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Temporal's {@link TestActivityEnvironment} for one test, as {@code io.temporal.testing.TestActivityExtension} gives
 * it, with two differences our activity tests need: the implementations are built when the test first asks for a stub
 * (after {@code @TempDir} and {@code @BeforeEach}, so they can use the test's directories and storage), and every stub
 * runs one attempt with an explicit start-to-close timeout (the SDK's default stub has a 1 s heartbeat timeout, which
 * slow media steps that heartbeat by progress would miss).
 *
 * <pre>{@code
 * @TempDir Path tmp;
 * @RegisterExtension
 * final ActivityTestEnvironment testEnv =
 *     ActivityTestEnvironment.newBuilder().setActivityImplementations(() -> new CleanupActivitiesImpl(storage)).build();
 *
 * @Test
 * void deletesTheJobsArtifacts(CleanupActivities activities) { ... }
 * }</pre>
 *
 * A test method may take the stub of any registered activity interface, and the {@link TestActivityEnvironment} itself
 * (to set heartbeat details or request a cancel). A test that builds its activity with its own settings calls
 * {@link #register} and then {@link #stub}.
 */
public final class ActivityTestEnvironment implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private final List<Supplier<?>> implementations;
  private final ActivityOptions options;
  private TestActivityEnvironment env;
  private boolean registered;
  private HeartbeatListener<?> heartbeats;

  private ActivityTestEnvironment(Builder b) {
    this.implementations = List.copyOf(b.implementations);
    ActivityOptions.Builder options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(b.startToClose)
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build());
    if (b.heartbeat != null) {
      options.setHeartbeatTimeout(b.heartbeat);
    }
    this.options = options.build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static final class Builder {
    private final List<Supplier<?>> implementations = new ArrayList<>();
    private Duration startToClose = Duration.ofMinutes(1);
    private Duration heartbeat;

    private Builder() {}

    /** Built on the test's first stub, in a fresh environment for each test. */
    public Builder setActivityImplementations(Supplier<?>... implementations) {
      this.implementations.addAll(List.of(implementations));
      return this;
    }

    /** Default one minute. */
    public Builder setStartToCloseTimeout(Duration timeout) {
      this.startToClose = Objects.requireNonNull(timeout);
      return this;
    }

    /** Default none; the SDK sends heartbeats at most every 0.8 x this, and a cancel is noticed on a sent one. */
    public Builder setHeartbeatTimeout(Duration timeout) {
      this.heartbeat = Objects.requireNonNull(timeout);
      return this;
    }

    public ActivityTestEnvironment build() {
      return new ActivityTestEnvironment(this);
    }
  }

  /** The environment of the running test. */
  public TestActivityEnvironment environment() {
    if (env == null) {
      env = TestActivityEnvironment.newInstance();
      if (heartbeats != null) {
        heartbeats.listenTo(env);
      }
    }
    return env;
  }

  /**
   * Registers these implementations instead of the builder's; when some are registered already, a fresh environment
   * takes their place (heartbeat collection carries over).
   */
  public ActivityTestEnvironment register(Object... activityImplementations) {
    if (registered) {
      closeEnvironment();
    }
    environment().registerActivitiesImplementations(activityImplementations);
    registered = true;
    return this;
  }

  /** A stub of {@code activityInterface} with this environment's options (one attempt). */
  public <T> T stub(Class<T> activityInterface) {
    if (!registered) {
      register(implementations.stream().map(Supplier::get).toArray());
    }
    return environment().newActivityStub(activityInterface, options);
  }

  /** Collects the heartbeat details of type {@code type} the activity sends, from now on. */
  public <T> List<T> heartbeats(Class<T> type) {
    HeartbeatListener<T> listener = new HeartbeatListener<>(type);
    heartbeats = listener;
    if (env != null) {
      listener.listenTo(env);
    }
    return listener.details;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    closeEnvironment();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    closeEnvironment();
    heartbeats = null;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestActivityEnvironment.class
        || (type.isInterface() && type.isAnnotationPresent(ActivityInterface.class));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
      throws ParameterResolutionException {
    Class<?> type = parameter.getParameter().getType();
    return type == TestActivityEnvironment.class ? environment() : stub(type);
  }

  private void closeEnvironment() {
    if (env != null) {
      env.close();
      env = null;
    }
    registered = false;
  }

  private static final class HeartbeatListener<T> {
    final Class<T> type;
    final List<T> details = new CopyOnWriteArrayList<>();

    HeartbeatListener(Class<T> type) {
      this.type = type;
    }

    void listenTo(TestActivityEnvironment env) {
      env.setActivityHeartbeatListener(type, details::add);
    }
  }
}
