package io.videopipe.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.videopipe.pipeline.SearchAttributes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The harness itself: a real server with our search attributes, a Web UI, and state that survives a kill -9. */
class TemporalCliServerTest {
  @RegisterExtension static final TemporalCliServer TEMPORAL = new TemporalCliServer();

  @Test
  void everySearchAttributeIsRegisteredWithItsType() {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget(TEMPORAL.target()).validateAndBuildWithDefaults());
    try {
      Map<String, IndexedValueType> custom = operator.blockingStub()
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(TEMPORAL.namespace()).build())
          .getCustomAttributesMap();
      assertThat(custom).containsAllEntriesOf(SearchAttributes.definitions());
    } finally {
      operator.shutdownNow();
    }
  }

  @Test
  void webUiAnswersOnLoopback() throws Exception {
    assertThat(TEMPORAL.uiUrl()).startsWith("http://127.0.0.1:");
    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(TEMPORAL.uiUrl() + "/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).containsIgnoringCase("<html");
  }

  @Test
  void aWorkflowSurvivesKillNineOfTheServer() {
    String id = "harness-survivor-" + System.nanoTime();
    // No worker polls this queue: the execution just waits, as a job queued for a busy worker does.
    WorkflowStub stub = TEMPORAL.client().newUntypedWorkflowStub("Nobody",
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("harness-idle").build());
    stub.start();
    long before = TEMPORAL.server().pid();

    TEMPORAL.kill();
    assertThat(TEMPORAL.server().alive()).isFalse();
    TEMPORAL.restart();

    assertThat(TEMPORAL.server().pid()).isNotEqualTo(before);
    assertThat(TEMPORAL.client().newUntypedWorkflowStub(id).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    long visible = TEMPORAL.stubs().blockingStub().countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
        .setNamespace(TEMPORAL.namespace()).setQuery("WorkflowId = '" + id + "'").build()).getCount();
    assertThat(visible).isEqualTo(1);
    TEMPORAL.client().newUntypedWorkflowStub(id).terminate("test over");
  }
}
