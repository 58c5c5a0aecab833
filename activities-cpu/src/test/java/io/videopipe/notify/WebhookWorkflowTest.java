package io.videopipe.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.videopipe.audio.AudioActivities;
import io.videopipe.audio.ExtractedAudio;
import io.videopipe.cleanup.CleanupActivities;
import io.videopipe.clip.ClipActivities;
import io.videopipe.clip.RenderedClip;
import io.videopipe.cost.CostActivities;
import io.videopipe.cost.CostReport;
import io.videopipe.download.DownloadActivities;
import io.videopipe.download.StoredSource;
import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightActivities;
import io.videopipe.highlight.HighlightSet;
import io.videopipe.pipeline.JobRequest;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.pipeline.PipelineTimeouts;
import io.videopipe.pipeline.SearchAttributes;
import io.videopipe.pipeline.TaskQueues;
import io.videopipe.pipeline.VideoPipelineOptions;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import io.videopipe.pipeline.VideoPipelineWorkflowImpl;
import io.videopipe.qa.QaActivities;
import io.videopipe.qa.QaReport;
import io.videopipe.route.Engine;
import io.videopipe.route.EngineMode;
import io.videopipe.route.EngineOption;
import io.videopipe.route.RouteActivities;
import io.videopipe.route.RouteFacts;
import io.videopipe.transcribe.TranscribeActivities;
import io.videopipe.transcribe.TranscriptionOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pipeline workflow with the real webhook activity against MockWebServer; the other steps are test doubles. */
class WebhookWorkflowTest {
  private static final String CPU = TaskQueues.DEFAULT_CPU;

  private enum Highlights { PICK, FAIL, BLOCK }

  private volatile Highlights highlightMode = Highlights.PICK;
  private final CountDownLatch highlightStarted = new CountDownLatch(1);

  private MockWebServer receiver;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeEach
  void start() throws Exception {
    receiver = new MockWebServer();
    receiver.start();
    env = TestWorkflowEnvironment.newInstance();
    SearchAttributes.definitions().forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(CPU);
    PipelineTimeouts timeouts = PipelineTimeouts.defaults().withHeartbeat(Duration.ofSeconds(1));
    worker.registerWorkflowImplementationFactory(
        VideoPipelineWorkflow.class, () -> new VideoPipelineWorkflowImpl(timeouts));
    worker.registerActivitiesImplementations(
        (DownloadActivities) r -> new StoredSource(r.sourceUri(), "file:///s/" + r.jobId() + "/source/a.mp4", 1000, "ab"),
        (AudioActivities) r -> new ExtractedAudio("file:///s/" + r.jobId() + "/audio/audio.wav", null, 60, 0.1),
        (RouteActivities) () -> new RouteFacts(List.of(new EngineOption(Engine.LOCAL, true, 0.0002, 0.04, "vosk"))),
        (TranscribeActivities) r -> new TranscriptionOutcome(r.engine(), "file:///s/" + r.jobId() + "/transcript/t.json",
            Map.of("json", "file:///s/" + r.jobId() + "/transcript/t.json"), 12, 60, 0.9,
            "secret words of the talk", 1.0, Map.of()),
        (HighlightActivities) this::highlights,
        (QaActivities) r -> new QaReport(true, List.of(), "file:///s/" + r.jobId() + "/qa/qa.json", 0.1),
        (ClipActivities) r -> new RenderedClip(r.highlight().rank(), "file:///s/" + r.jobId() + "/clips/clip-01.mp4",
            null, null, r.highlight().startSec(), r.highlight().endSec(), r.highlight().durationSec(), true, -14, -2,
            r.attempt(), 0.5, 1000),
        (CostActivities) r -> new CostReport(0.0042, List.of(), "file:///s/" + r.jobId() + "/cost/cost.json", List.of()),
        (CleanupActivities) (jobId, prefixes) -> prefixes.size(),
        WebhookActivitiesImplTest.allowingLocalhost(WebhookActivitiesImplTest.SECRET));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() throws Exception {
    env.close();
    receiver.shutdown();
  }

  private HighlightSet highlights(io.videopipe.highlight.HighlightRequest r) {
    highlightStarted.countDown();
    switch (highlightMode) {
      case FAIL -> throw ApplicationFailure.newNonRetryableFailure("no speech at all", "NoSpeech");
      case BLOCK -> {
        while (true) {
          try {
            Activity.getExecutionContext().heartbeat(null);
            Thread.sleep(100);
          } catch (ActivityCanceledException e) {
            throw e;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        }
      }
      default -> {
        return new HighlightSet("file:///s/" + r.jobId() + "/highlights/h.json",
            List.of(new Highlight(1, 1, 20, 0.9, "best", Map.of(), "Best")), 0.1, "features");
      }
    }
  }

  private WorkflowStub startJob(String jobId) {
    JobRequest request =
        JobRequest.builder("https://example.com/talk.mp4")
            .engine(EngineMode.LOCAL)
            .webhookUrl(receiver.url("/hooks/videopipe").toString())
            .build();
    VideoPipelineWorkflow wf =
        client.newWorkflowStub(VideoPipelineWorkflow.class, VideoPipelineOptions.forJob(jobId, request, null, null));
    WorkflowClient.start(wf::run, request);
    return WorkflowStub.fromTyped(wf);
  }

  private JsonNode received() throws Exception {
    RecordedRequest req = receiver.takeRequest(20, TimeUnit.SECONDS);
    assertThat(req).as("webhook request").isNotNull();
    String body = req.getBody().readUtf8();
    String ts = req.getHeader("X-Videopipe-Timestamp");
    assertThat(req.getHeader("X-Videopipe-Signature"))
        .isEqualTo(WebhookActivitiesImplTest.hmac(WebhookActivitiesImplTest.SECRET, ts + "." + body));
    assertThat(body).doesNotContain("secret words");
    return new ObjectMapper().readTree(body);
  }

  @Test
  void completionIsPostedAndA500IsRetried() throws Exception {
    receiver.enqueue(new MockResponse().setResponseCode(500));
    receiver.enqueue(new MockResponse().setResponseCode(200));
    JobResult result = startJob("job-ok").getResult(JobResult.class);

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    JsonNode first = received();
    JsonNode second = received();
    assertThat(first).isEqualTo(second);
    assertThat(second.get("event").asText()).isEqualTo("job.completed");
    assertThat(second.get("jobId").asText()).isEqualTo("job-ok");
    assertThat(second.get("engine").asText()).isEqualTo("local");
    assertThat(second.get("words").asInt()).isEqualTo(12);
    assertThat(second.get("highlights").asInt()).isEqualTo(1);
    assertThat(second.get("costUsd").asDouble()).isEqualTo(0.0042);
    assertThat(second.get("artifacts").get("cost.json").asText()).isEqualTo("file:///s/job-ok/cost/cost.json");
    assertThat(receiver.getRequestCount()).isEqualTo(2);
    // the job records the delivery: two attempts, the last answered 200
    WebhookDelivery delivery = client.newWorkflowStub(VideoPipelineWorkflow.class, "job-ok").webhookDelivery();
    assertThat(delivery.state()).isEqualTo(WebhookDelivery.DELIVERED);
    assertThat(delivery.attempts()).isEqualTo(2);
    assertThat(delivery.lastHttpStatus()).isEqualTo(200);
    assertThat(delivery.deliveredAt()).isNotBlank();
  }

  @Test
  void failureIsPostedAndA404DoesNotChangeTheOutcomeNorRetry() throws Exception {
    highlightMode = Highlights.FAIL;
    receiver.enqueue(new MockResponse().setResponseCode(404));
    WorkflowStub job = startJob("job-fail");

    assertThatThrownBy(() -> job.getResult(JobResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("no speech at all");
    JsonNode body = received();
    assertThat(body.get("event").asText()).isEqualTo("job.failed");
    assertThat(body.get("error").get("type").asText()).isEqualTo("NoSpeech");
    assertThat(receiver.getRequestCount()).isEqualTo(1);
    // a 4xx is a refusal: recorded with the status and why, not retried
    WebhookDelivery delivery = client.newWorkflowStub(VideoPipelineWorkflow.class, "job-fail").webhookDelivery();
    assertThat(delivery.state()).isEqualTo(WebhookDelivery.REFUSED);
    assertThat(delivery.attempts()).isEqualTo(1);
    assertThat(delivery.lastHttpStatus()).isEqualTo(404);
    assertThat(delivery.deliveredAt()).isNull();
    assertThat(delivery.reason()).contains("HTTP 404");
  }

  @Test
  void cancellationIsPosted() throws Exception {
    highlightMode = Highlights.BLOCK;
    receiver.enqueue(new MockResponse().setResponseCode(202));
    WorkflowStub job = startJob("job-cancel");
    assertThat(highlightStarted.await(20, TimeUnit.SECONDS)).isTrue();
    job.cancel("operator stopped it");

    assertThatThrownBy(() -> job.getResult(JobResult.class)).isInstanceOf(WorkflowFailedException.class);
    JsonNode body = received();
    assertThat(body.get("event").asText()).isEqualTo("job.cancelled");
    assertThat(body.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(body.get("error").get("message").asText()).isEqualTo("operator stopped it");
  }
}
