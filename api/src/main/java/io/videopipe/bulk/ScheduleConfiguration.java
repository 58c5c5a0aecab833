package io.videopipe.bulk;

import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.videopipe.temporal.EmbeddedTemporal;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * One {@link ScheduleService} per application, shared by the REST API and the dashboard: on the embedded server it
 * keeps the cron workflows this process created, so two instances would each list only their own.
 */
@Configuration
@Profile({"local", "api"})
public class ScheduleConfiguration {
  @Bean
  ScheduleService scheduleService(
      WorkflowClient client, ObjectProvider<EmbeddedTemporal> embedded, ReprocessService reprocess) {
    // The embedded test server has no schedules: the service then runs cron workflows instead (null client).
    ScheduleClient schedules =
        embedded.getIfAvailable() != null
            ? null
            : ScheduleClient.newInstance(
                client.getWorkflowServiceStubs(),
                ScheduleClientOptions.newBuilder().setNamespace(client.getOptions().getNamespace()).build());
    return new ScheduleService(schedules, client, reprocess);
  }
}
