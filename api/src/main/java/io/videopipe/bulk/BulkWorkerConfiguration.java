package io.videopipe.bulk;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.videopipe.storage.Storage;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** Registers bulk reprocessing (workflow and selection) on the CPU worker. */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "cpu-worker"})
public class BulkWorkerConfiguration {

  @Bean
  BulkReprocessActivitiesImpl bulkReprocessActivities(
      @Qualifier("cpuWorker") Worker cpuWorker, Storage storage, WorkflowClient client) {
    cpuWorker.registerWorkflowImplementationTypes(BulkReprocessWorkflowImpl.class);
    BulkReprocessActivitiesImpl activities =
        new BulkReprocessActivitiesImpl(
            storage, () -> client.getWorkflowServiceStubs().blockingStub(), client.getOptions().getNamespace());
    cpuWorker.registerActivitiesImplementations(activities);
    return activities;
  }
}
