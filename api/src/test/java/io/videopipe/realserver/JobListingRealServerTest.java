package io.videopipe.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttribute;
import io.temporal.common.SearchAttributes;
import io.videopipe.jobs.JobFilter;
import io.videopipe.jobs.JobListing;
import io.videopipe.jobs.JobPage;
import io.videopipe.jobs.JobSummary;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job listing on a real Temporal server's visibility: each filter (status, engine, time range) is a query the
 * server evaluates, and paging follows the server's nextPageToken to the end. The jobs are executions of our workflow
 * type with the search attributes the pipeline upserts, started on a queue no worker polls, so each keeps the state
 * it was given. The order is the server's: running jobs first, then closed ones, latest first.
 */
class JobListingRealServerTest {
  @RegisterExtension static final TemporalCliServer TEMPORAL = new TemporalCliServer();

  static JobListing listing;
  static Instant beforeAll;
  static Instant middle;

  @BeforeAll
  static void jobs() throws InterruptedException {
    listing = new JobListing(TEMPORAL.client());
    beforeAll = Instant.now().minusSeconds(1);
    job("done-local-1", "COMPLETED", "local", true);
    job("done-local-2", "COMPLETED", "local", true);
    job("failed-deepgram", "FAILED", "deepgram", true);
    Thread.sleep(1100);
    middle = Instant.now();
    Thread.sleep(1100);
    job("running-parakeet", "RUNNING", "parakeet", false);
    job("done-parakeet", "COMPLETED", "parakeet", true);
    awaitVisible(5);
  }

  static void job(String id, String status, String engine, boolean close) {
    WorkflowStub stub = TEMPORAL.client().newUntypedWorkflowStub(VideoPipelineWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("no-worker-polls-this")
            .setTypedSearchAttributes(SearchAttributes.newBuilder()
                .set(io.videopipe.pipeline.SearchAttributes.STATUS, status)
                .set(io.videopipe.pipeline.SearchAttributes.ENGINE, engine)
                .set(io.videopipe.pipeline.SearchAttributes.STEP, close ? "COST" : "TRANSCRIBE")
                .set(io.videopipe.pipeline.SearchAttributes.PRIORITY, 3L)
                .set(io.videopipe.pipeline.SearchAttributes.COST_USD, 0.0125)
                .build())
            .build());
    stub.start();
    if (close) {
      stub.terminate("seeded as " + status);
    }
  }

  /** Visibility is written asynchronously after each start and close. */
  static void awaitVisible(long n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      long closed = count("ExecutionStatus != 'Running'");
      if (count("") == n && closed == n - 1) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("visibility did not show the " + n + " seeded jobs");
  }

  static long count(String and) {
    String q = "WorkflowType = '" + VideoPipelineWorkflow.TYPE + "'" + (and.isEmpty() ? "" : " AND " + and);
    return TEMPORAL.stubs().blockingStub().countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
        .setNamespace(TEMPORAL.namespace()).setQuery(q).build()).getCount();
  }

  static List<String> ids(JobPage page) {
    return page.jobs().stream().map(JobSummary::jobId).toList();
  }

  @Test
  void everyJobRunningFirstThenLatestClosedNotDegraded() {
    JobPage page = listing.list(JobFilter.of(null, null, null, null, 50, null));
    assertThat(page.degraded()).isNull();
    assertThat(page.nextPageToken()).isNull();
    assertThat(ids(page)).containsExactly(
        "running-parakeet", "done-parakeet", "failed-deepgram", "done-local-2", "done-local-1");
    JobSummary running = page.jobs().get(0);
    assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(running.step()).isEqualTo("TRANSCRIBE");
    assertThat(running.closedAt()).isNull();
    assertThat(running.engine()).isEqualTo("parakeet");
    assertThat(running.priority()).isEqualTo(3L);
    assertThat(running.costUsd()).isEqualTo(0.0125);
    assertThat(running.startedAt()).isAfter(middle);
    assertThat(page.jobs().get(1).closedAt()).isNotNull();
  }

  @Test
  void statusFilter() {
    assertThat(ids(listing.list(JobFilter.of("completed", null, null, null, 50, null))))
        .containsExactly("done-parakeet", "done-local-2", "done-local-1");
    assertThat(ids(listing.list(JobFilter.of("FAILED", null, null, null, 50, null))))
        .containsExactly("failed-deepgram");
    assertThat(ids(listing.list(JobFilter.of("RUNNING", null, null, null, 50, null))))
        .containsExactly("running-parakeet");
    assertThat(listing.list(JobFilter.of("CANCELLED", null, null, null, 50, null)).jobs()).isEmpty();
  }

  @Test
  void engineFilterAndStatusTogether() {
    assertThat(ids(listing.list(JobFilter.of(null, "parakeet", null, null, 50, null))))
        .containsExactly("running-parakeet", "done-parakeet");
    assertThat(ids(listing.list(JobFilter.of("COMPLETED", "parakeet", null, null, 50, null))))
        .containsExactly("done-parakeet");
    assertThat(listing.list(JobFilter.of(null, "parakeet+deepgram", null, null, 50, null)).jobs()).isEmpty();
  }

  @Test
  void timeRange() {
    assertThat(ids(listing.list(JobFilter.of(null, null, middle.toString(), null, 50, null))))
        .containsExactly("running-parakeet", "done-parakeet");
    assertThat(ids(listing.list(JobFilter.of(null, null, beforeAll.toString(), middle.toString(), 50, null))))
        .containsExactly("failed-deepgram", "done-local-2", "done-local-1");
    assertThat(listing.list(JobFilter.of(null, null, null, beforeAll.toString(), 50, null)).jobs()).isEmpty();
  }

  @Test
  void pagesFollowTheServersTokenToTheEndWithoutLossOrRepeat() {
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      JobPage page = listing.list(JobFilter.of(null, null, null, null, 2, token));
      assertThat(page.jobs()).hasSizeLessThanOrEqualTo(2);
      seen.addAll(ids(page));
      token = page.nextPageToken();
      pages++;
    } while (token != null && pages < 10);
    assertThat(seen).containsExactly(
        "running-parakeet", "done-parakeet", "failed-deepgram", "done-local-2", "done-local-1");
    assertThat(pages).isBetween(3, 4);
  }
}
