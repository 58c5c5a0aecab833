package io.videopipe.temporal;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.videopipe.config.VideoPipeProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** How each role reaches Temporal: in-process in the local role, {@code videopipe.temporal.address} otherwise. */
@Configuration(proxyBeanMethods = false)
public class TemporalConfiguration {

  @Bean(destroyMethod = "close")
  @Profile("local")
  EmbeddedTemporal embeddedTemporal() {
    return new EmbeddedTemporal();
  }

  @Bean
  @Profile("local")
  WorkflowClient embeddedWorkflowClient(EmbeddedTemporal temporal) {
    return temporal.client();
  }

  @Bean(destroyMethod = "shutdown")
  @Profile({"api", "cpu-worker", "gpu-worker"})
  WorkflowServiceStubs workflowServiceStubs(VideoPipeProperties props) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(props.temporal().address()).build());
  }

  @Bean
  @Profile({"api", "cpu-worker", "gpu-worker"})
  WorkflowClient workflowClient(WorkflowServiceStubs stubs, VideoPipeProperties props) {
    return WorkflowClient.newInstance(
        stubs, WorkflowClientOptions.newBuilder().setNamespace(props.temporal().namespace()).build());
  }

  @Bean(destroyMethod = "shutdown")
  @Profile({"local", "cpu-worker", "gpu-worker"})
  WorkerFactory workerFactory(WorkflowClient client) {
    return WorkerFactory.newInstance(client);
  }
}
