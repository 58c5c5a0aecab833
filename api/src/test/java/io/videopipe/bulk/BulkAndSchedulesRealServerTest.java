package io.videopipe.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.videopipe.security.Caller;
import io.videopipe.jobs.JobFilter;
import io.videopipe.jobs.JobListing;
import io.videopipe.jobs.JobSummary;
import io.videopipe.pipeline.TaskQueues;
import io.videopipe.pipeline.VideoPipelineOptions;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import io.videopipe.realserver.TemporalCliServer;
import io.videopipe.storage.LocalStorage;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bulk reprocessing and its schedules on a real Temporal server: past jobs selected through visibility, a bulk run
 * whose children show in the job listing, and schedules created, listed (spec, next runs), paused, unpaused,
 * triggered and deleted through {@link ScheduleClient}. The worker runs our bulk workflow and selection activity;
 * no worker here runs the pipeline, so each child job stays queued (RUNNING, step QUEUED), enough to be listed.
 */
class BulkAndSchedulesRealServerTest {
  private static final Caller ADMIN = new Caller("test-admin", Caller.DEFAULT_TENANT, true);

  @RegisterExtension static final TemporalCliServer TEMPORAL = new TemporalCliServer();
  static final TaskQueues QUEUES = new TaskQueues("bulk-real-cpu", "bulk-real-gpu");

  static WorkerFactory workers;
  static ReprocessService reprocess;
  static ScheduleService schedules;
  static BulkReprocessActivitiesImpl selection;
  static JobListing listing;
  static Instant from;
  static Instant to;

  @BeforeAll
  static void start() throws Exception {
    WorkflowClient client = TEMPORAL.client();
    LocalStorage storage = new LocalStorage(Files.createDirectories(TEMPORAL.dir().resolve("store")));
    selection = new BulkReprocessActivitiesImpl(storage, () -> client.getWorkflowServiceStubs().blockingStub(),
        TEMPORAL.namespace());
    workers = WorkerFactory.newInstance(client);
    Worker worker = workers.newWorker(QUEUES.cpu());
    worker.registerWorkflowImplementationTypes(BulkReprocessWorkflowImpl.class);
    worker.registerActivitiesImplementations(selection);
    workers.start();
    listing = new JobListing(client);
    reprocess = new ReprocessService(client, QUEUES, storage, listing);
    schedules = new ScheduleService(ScheduleClient.newInstance(client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace(TEMPORAL.namespace()).build()), client, reprocess);

    pastJob("past-old-local", "/videos/old.mp4", "local");
    Thread.sleep(1100);
    from = Instant.now();
    pastJob("past-local-a", "/videos/a.mp4", "local");
    pastJob("past-local-b", "/videos/b.mp4", "local");
    pastJob("past-local-c", "/videos/c.mp4", "local");
    pastJob("past-deepgram", "/videos/d.mp4", "deepgram");
    // one video that two tenants processed, and one from before tenants
    pastJob("past-acme", "/videos/p.mp4", "parakeet", "acme");
    pastJob("past-globex", "/videos/p.mp4", "parakeet", "globex");
    pastJob("past-untenanted", "/videos/q.mp4", "parakeet", null);
    Thread.sleep(1100);
    to = Instant.now();
    await("the past jobs are visible", () -> count("WorkflowType = 'VideoPipeline' AND ExecutionStatus != 'Running'") == 8);
  }

  @AfterAll
  static void stop() {
    if (workers != null) {
      workers.shutdownNow();
    }
  }

  /** A job of our workflow type that ended with this engine, as visibility keeps it. */
  static void pastJob(String id, String source, String engine) {
    pastJob(id, source, engine, Caller.DEFAULT_TENANT);
  }

  /** As above, owned by {@code tenant} (null: a job from before tenants, with none recorded). */
  static void pastJob(String id, String source, String engine, String tenant) {
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder()
        .set(io.videopipe.pipeline.SearchAttributes.STATUS, "COMPLETED")
        .set(io.videopipe.pipeline.SearchAttributes.ENGINE, engine);
    if (tenant != null) {
      attributes.set(io.videopipe.pipeline.SearchAttributes.TENANT, tenant);
    }
    WorkflowStub stub = TEMPORAL.client().newUntypedWorkflowStub(VideoPipelineWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("past-jobs-no-worker")
            .setMemo(Map.of(VideoPipelineOptions.MEMO_SOURCE, source))
            .setTypedSearchAttributes(attributes.build())
            .build());
    stub.start();
    stub.terminate("seeded as a completed " + engine + " job");
  }

  static long count(String query) {
    return TEMPORAL.stubs().blockingStub().countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
        .setNamespace(TEMPORAL.namespace()).setQuery(query).build()).getCount();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(250);
    }
  }

  @Test
  void pastJobsAreSelectedByEngineAndTimeThroughVisibilityPageByPage() {
    BulkSelection local = new BulkSelection(null, "local", from.toString(), to.toString());
    List<String> sources = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      SourcePage page = selection.selectSources(local, cursor, 2);
      sources.addAll(page.sources());
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(sources).containsExactlyInAnyOrder("/videos/a.mp4", "/videos/b.mp4", "/videos/c.mp4");
    assertThat(pages).isBetween(2, 3);
  }

  @Test
  void aBulkRunOverPastJobsStartsOneChildPerSelectedJobAndTheyAreListed() throws Exception {
    ReprocessSpec spec = new ReprocessSpec(null, "local", from.toString(), to.toString(), 4, null, null, null, null,
        null, null);
    String bulkId = reprocess.start(spec.toRequest("test", Caller.DEFAULT_TENANT));

    await("three children started", () -> count("ParentWorkflowId = '" + bulkId + "'") == 3);
    assertThat(reprocess.view(bulkId, ADMIN).execution()).isEqualTo("RUNNING");
    await("the children are listed as running jobs", () -> listing.list(JobFilter.of("RUNNING", null, null, null, 100,
        null)).jobs().stream().filter(j -> j.jobId().startsWith(bulkId + "-")).count() == 3);
    assertThat(listing.list(JobFilter.of("RUNNING", null, null, null, 100, null)).jobs())
        .filteredOn(j -> j.jobId().startsWith(bulkId + "-")).extracting(JobSummary::step).containsOnly("QUEUED");
    // the run's status lists the same children, through visibility (ParentWorkflowId), all on one page
    List<String> listed = listing.list(JobFilter.of("RUNNING", null, null, null, 100, null)).jobs().stream()
        .map(JobSummary::jobId).filter(j -> j.startsWith(bulkId + "-")).toList();
    ReprocessService.BulkChildren children = reprocess.view(bulkId, ADMIN).children();
    assertThat(children.ids()).containsExactlyInAnyOrderElementsOf(listed);
    assertThat(children.started()).isEqualTo(3);
    assertThat(children.nextPageToken()).isNull();
    assertThat(children.degraded()).isNull();
    reprocess.cancel(bulkId, ADMIN);
  }

  @Test
  void eachReprocessedJobBelongsToTheTenantThatOwnedItsSourceJob() throws Exception {
    // An admin of another tenant starts the run; the children go to the source jobs' tenants, not to the admin's.
    ReprocessSpec spec = new ReprocessSpec(null, "parakeet", from.toString(), to.toString(), 4, null, null, null,
        null, null, null);
    String bulkId = reprocess.start(spec.toRequest("ops-admin", "ops"));
    await("three children started", () -> count("ParentWorkflowId = '" + bulkId + "'") == 3);
    await("the children are listed", () -> children(bulkId).size() == 3);
    assertThat(children(bulkId))
        .extracting(JobSummary::tenant, JobSummary::source)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("acme", "/videos/p.mp4"),
            org.assertj.core.groups.Tuple.tuple("globex", "/videos/p.mp4"),
            org.assertj.core.groups.Tuple.tuple(Caller.DEFAULT_TENANT, "/videos/q.mp4"));
    // each tenant sees its own and only its own
    Caller acme = new Caller("acme-reader", "acme", false);
    assertThat(children(bulkId)).filteredOn(j -> acme.mayAccess(j.tenant())).extracting(JobSummary::tenant)
        .containsExactly("acme");
    reprocess.cancel(bulkId, ADMIN);
  }

  private static List<JobSummary> children(String bulkId) {
    return listing.list(JobFilter.of(null, null, null, null, 100, null)).jobs().stream()
        .filter(j -> j.jobId().startsWith(bulkId + "-")).toList();
  }

  @Test
  void aTerminatedRunSaysWhyWithoutTheCredentialsOfAnyUrlInTheReason() throws Exception {
    ReprocessSpec spec = new ReprocessSpec(null, "local", from.toString(), to.toString(), 1, null, null, null, null,
        null, null);
    String bulkId = reprocess.start(spec.toRequest("test", Caller.DEFAULT_TENANT));
    await("its first child started", () -> count("ParentWorkflowId = '" + bulkId + "'") >= 1);
    TEMPORAL.client().newUntypedWorkflowStub(bulkId)
        .terminate("operator: storage moved, see https://ops:PASSWORD1@wiki.example.com/moves?sig=TOKEN2");

    ReprocessService.BulkView view = reprocess.view(bulkId, ADMIN);
    assertThat(view.execution()).isEqualTo("TERMINATED");
    assertThat(view.reason())
        .isEqualTo("terminated: operator: storage moved, see https://wiki.example.com/moves")
        .doesNotContain("PASSWORD1", "TOKEN2");
    // no child failed, so recentFailures (when the closed run answers its query at all) says nothing: reason does
  }

  @Test
  void cronAndIntervalSchedulesAreListedWithSpecAndNextRuns() throws Exception {
    schedules.create(new ScheduleRequest("nightly-local", "0 3 * * *", null, localSpec()), Caller.DEFAULT_TENANT);
    schedules.create(new ScheduleRequest("every-six-hours", null, "PT6H", localSpec()), Caller.DEFAULT_TENANT);
    assertThatThrownBy(() -> schedules.create(new ScheduleRequest("nightly-local", "0 4 * * *", null, localSpec()), Caller.DEFAULT_TENANT))
        .isInstanceOf(ScheduleConflictException.class);

    await("both schedules are listed", () -> listed("nightly-local") != null && listed("every-six-hours") != null);
    Map<String, Object> nightly = listed("nightly-local");
    assertThat(nightly.get("cron").toString()).contains("0 3 * * *");
    assertThat(nightly).containsEntry("paused", false);
    @SuppressWarnings("unchecked")
    List<String> next = (List<String>) nightly.get("nextActionTimes");
    assertThat(next).isNotEmpty();
    Instant firstRun = Instant.parse(next.get(0));
    assertThat(firstRun).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofHours(25)));
    assertThat(firstRun.toString()).contains("T03:00:00Z");
    assertThat(listed("every-six-hours").get("intervals")).isEqualTo(List.of("PT6H"));
    schedules.delete("nightly-local");
    schedules.delete("every-six-hours");
  }

  @Test
  void pauseUnpauseTriggerDelete() throws Exception {
    schedules.create(new ScheduleRequest("hourly-local", null, "PT1H", localSpec()), Caller.DEFAULT_TENANT);
    schedules.pause("hourly-local", "maintenance window");
    await("listed as paused", () -> Boolean.TRUE.equals(field("hourly-local", "paused")));
    schedules.unpause("hourly-local");
    await("listed as running", () -> Boolean.FALSE.equals(field("hourly-local", "paused")));

    schedules.trigger("hourly-local");
    // The schedule's run is a bulk workflow over the past local jobs; its children are jobs in the listing.
    await("the triggered bulk run started",
        () -> count("WorkflowType = 'BulkReprocess' AND WorkflowId STARTS_WITH 'hourly-local-run'") == 1);
    String run = TEMPORAL.stubs().blockingStub().listWorkflowExecutions(
            io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest.newBuilder()
                .setNamespace(TEMPORAL.namespace())
                .setQuery("WorkflowType = 'BulkReprocess' AND WorkflowId STARTS_WITH 'hourly-local-run'").build())
        .getExecutions(0).getExecution().getWorkflowId();
    await("its three children are listed", () -> listing.list(JobFilter.of(null, null, null, null, 100, null)).jobs()
        .stream().filter(j -> j.jobId().startsWith(run + "-")).count() == 3);

    schedules.delete("hourly-local");
    assertThatThrownBy(() -> schedules.pause("hourly-local", null)).isInstanceOf(ScheduleNotFoundException.class);
    assertThatThrownBy(() -> schedules.trigger("no-such-schedule")).isInstanceOf(ScheduleNotFoundException.class);
  }

  private static ReprocessSpec localSpec() {
    return new ReprocessSpec(null, "local", from.toString(), to.toString(), 4, null, null, null, null, null, null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> listed(String id) {
    for (Map<String, Object> s : (List<Map<String, Object>>) schedules.list(ADMIN).get("schedules")) {
      if (id.equals(s.get("scheduleId"))) {
        return s;
      }
    }
    return null;
  }

  private static Object field(String id, String name) {
    Map<String, Object> s = listed(id);
    return s == null ? null : s.get(name);
  }
}
