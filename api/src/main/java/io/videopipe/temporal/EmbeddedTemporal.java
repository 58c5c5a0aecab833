package io.videopipe.temporal;

import com.uber.m3.tally.Scope;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.videopipe.pipeline.SearchAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory Temporal test server of the local role, in this JVM. Time is real (no skipping): a job waits for its
 * timers and timeouts as it would on a real server.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporal.class);
  private final TestWorkflowEnvironment env;

  /**
   * @param dataConverter the data converter (and so the payload codec) of the client and of the workers it creates
   * @param metrics where the SDK's client and worker metrics go
   */
  public EmbeddedTemporal(DataConverter dataConverter, Scope metrics) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .setMetricsScope(metrics)
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(dataConverter).build())
                .build());
    SearchAttributes.definitions().forEach(env::registerSearchAttribute);
    log.info("embedded Temporal test server started in-process (namespace {})", env.getNamespace());
  }

  public WorkflowClient client() {
    return env.getWorkflowClient();
  }

  @Override
  public void close() {
    env.close();
  }
}
