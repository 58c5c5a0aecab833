package io.videopipe.pipeline;

import static org.assertj.core.api.Assertions.fail;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.audio.AudioActivities;
import io.videopipe.audio.ExtractAudioRequest;
import io.videopipe.audio.ExtractedAudio;
import io.videopipe.audio.MediaInfo;
import io.videopipe.cleanup.CleanupActivities;
import io.videopipe.clip.ClipActivities;
import io.videopipe.clip.ClipRequest;
import io.videopipe.clip.RenderedClip;
import io.videopipe.cost.CostActivities;
import io.videopipe.cost.CostLine;
import io.videopipe.cost.CostReport;
import io.videopipe.cost.CostRequest;
import io.videopipe.download.DownloadActivities;
import io.videopipe.download.DownloadRequest;
import io.videopipe.download.StoredSource;
import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightActivities;
import io.videopipe.highlight.HighlightRequest;
import io.videopipe.highlight.HighlightSet;
import io.videopipe.notify.WebhookActivities;
import io.videopipe.notify.WebhookPayload;
import io.videopipe.notify.WebhookReceipt;
import io.videopipe.qa.QaActivities;
import io.videopipe.qa.QaCheck;
import io.videopipe.qa.QaReport;
import io.videopipe.qa.QaRequest;
import io.videopipe.refine.RefineActivities;
import io.videopipe.refine.RefineRequest;
import io.videopipe.route.Engine;
import io.videopipe.route.EngineOption;
import io.videopipe.route.RouteActivities;
import io.videopipe.route.RouteFacts;
import io.videopipe.transcribe.TranscribeActivities;
import io.videopipe.transcribe.TranscribeRequest;
import io.videopipe.transcribe.TranscriptionOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every activity of the pipeline as a small fake with a canned answer that a test may replace with a script of its own
 * ({@code pipeline.audio.answers(r -> ...)}) before the job starts. Each fake keeps the requests it was sent; the
 * pipeline keeps every activity execution in the order they ran ({@link #calls}).
 */
final class FakePipeline {
  static final double AUDIO_SEC = 300;
  static final String STORE = "file:///store/jobs/";

  /** One activity execution as the activity saw it. */
  record Call(String activity, String queue, int attempt, int priority) {}

  /** One DeleteArtifacts call. */
  record Deletion(String jobId, List<String> prefixes) {}

  /** What a fake answers for one request; may throw, like an activity. */
  @FunctionalInterface
  interface Answer<Q, A> {
    A apply(Q request) throws Exception;
  }

  final List<Call> calls = new CopyOnWriteArrayList<>();

  final Download download = new Download();
  final Audio audio = new Audio();
  final Route route = new Route();
  final Transcribe cpuTranscribe = new Transcribe();
  final Transcribe gpuTranscribe = new Transcribe();
  final Refine refine = new Refine();
  final Highlights highlights = new Highlights();
  final Clips clips = new Clips();
  final Qa qa = new Qa();
  final Cost cost = new Cost();
  final Cleanup cleanup = new Cleanup();
  final Webhook webhook = new Webhook();

  /** What runs on the CPU worker (the GPU worker runs {@link #gpuTranscribe} only). */
  Object[] cpuActivities() {
    return new Object[] {download, audio, route, cpuTranscribe, refine, highlights, clips, qa, cost, cleanup, webhook};
  }

  /** Every prefix deleted, in the order of the calls. */
  List<String> deletedPrefixes() {
    List<String> out = new ArrayList<>();
    cleanup.requests().forEach(d -> out.addAll(d.prefixes()));
    return out;
  }

  List<Call> callsOf(String activity) {
    return calls.stream().filter(c -> c.activity().equals(activity)).toList();
  }

  /** The one request a fake was sent; fails when there was not exactly one. */
  static <Q> Q only(Fake<Q, ?> fake) {
    List<Q> sent = fake.requests();
    if (sent.size() != 1) {
      fail("expected one request, got " + sent);
    }
    return sent.get(0);
  }

  /** A fake activity: records each call and request, then runs its answer. */
  abstract class Fake<Q, A> {
    private final List<Q> requests = new CopyOnWriteArrayList<>();
    private volatile Answer<Q, A> answer;

    Fake(Answer<Q, A> canned) {
      answer = canned;
    }

    /** Replaces the canned answer. */
    void answers(Answer<Q, A> script) {
      answer = script;
    }

    /** The requests in the order they came (null for an activity without arguments). */
    List<Q> requests() {
      return java.util.Collections.unmodifiableList(new ArrayList<>(requests));
    }

    A call(Q request) {
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      calls.add(new Call(info.getActivityType(), info.getActivityTaskQueue(), info.getAttempt(),
          info.getPriority().getPriorityKey()));
      requests.add(request);
      try {
        return answer.apply(request);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw Activity.wrap(e);
      }
    }
  }

  final class Download extends Fake<DownloadRequest, StoredSource> implements DownloadActivities {
    Download() {
      super(FakePipeline::stored);
    }

    @Override
    public StoredSource download(DownloadRequest request) {
      return call(request);
    }
  }

  final class Audio extends Fake<ExtractAudioRequest, ExtractedAudio> implements AudioActivities {
    Audio() {
      super(r -> extracted(r.jobId()));
    }

    @Override
    public ExtractedAudio extractAudio(ExtractAudioRequest request) {
      return call(request);
    }
  }

  final class Route extends Fake<Void, RouteFacts> implements RouteActivities {
    private volatile RouteFacts facts = FakePipeline.facts(false, false, true);

    Route() {
      super(null);
      answers(r -> facts);
    }

    /** Which engines GatherRouteFacts reports available. */
    void engines(boolean parakeet, boolean deepgram, boolean local) {
      facts = FakePipeline.facts(parakeet, deepgram, local);
    }

    RouteFacts facts() {
      return facts;
    }

    @Override
    public RouteFacts gatherFacts() {
      return call(null);
    }
  }

  final class Transcribe extends Fake<TranscribeRequest, TranscriptionOutcome> implements TranscribeActivities {
    Transcribe() {
      super(FakePipeline::outcome);
    }

    @Override
    public TranscriptionOutcome transcribe(TranscribeRequest request) {
      return call(request);
    }
  }

  final class Refine extends Fake<RefineRequest, TranscriptionOutcome> implements RefineActivities {
    Refine() {
      super(
          r -> {
            String dir = STORE + r.jobId() + "/transcript/transcript.";
            return new TranscriptionOutcome(
                Engine.DEEPGRAM, dir + "json", Map.of("json", dir + "json", "txt", dir + "txt"), 44, AUDIO_SEC, 0.95,
                "hello from parakeet and deepgram", 1.5,
                Map.of(RefineActivities.REFINED_WINDOWS, "2", RefineActivities.REFINED_SEC, "4.500"));
          });
    }

    @Override
    public TranscriptionOutcome refineLowConfidence(RefineRequest request) {
      return call(request);
    }
  }

  final class Highlights extends Fake<HighlightRequest, HighlightSet> implements HighlightActivities {
    private volatile int count = 1;

    Highlights() {
      super(null);
      answers(
          r -> {
            List<Highlight> hs = new ArrayList<>();
            for (int rank = 1; rank <= count; rank++) {
              hs.add(new Highlight(rank, 40.0 * rank - 30, 40.0 * rank, 1.0 / rank, "the best part " + rank,
                  Map.of("density", 0.8), "The best part " + rank));
            }
            return new HighlightSet(STORE + r.jobId() + "/highlights/highlights.json", List.copyOf(hs), 0.2,
                "features");
          });
    }

    /** How many highlights PickHighlights finds. */
    void count(int n) {
      count = n;
    }

    @Override
    public HighlightSet pickHighlights(HighlightRequest request) {
      return call(request);
    }
  }

  final class Clips extends Fake<ClipRequest, RenderedClip> implements ClipActivities {
    private volatile Set<Integer> unrenderable = Set.of();

    Clips() {
      super(null);
      answers(
          r -> {
            int rank = r.highlight().rank();
            if (unrenderable.contains(rank)) {
              throw ApplicationFailure.newNonRetryableFailure("highlight ends past the source", "InvalidRequest");
            }
            String base = String.format("%s%s/clips/clip-%02d", STORE, r.jobId(), rank);
            if (r.options() != null && r.options().aspects() != null) {
              // every frame of clips.aspects from the one activity, as the real one renders them
              List<io.videopipe.clip.ClipFormat> frames = new ArrayList<>();
              for (String aspect : r.options().aspects()) {
                String name = frames.isEmpty() ? JobPaths.clipFile(rank, "mp4") : JobPaths.clipFormatFile(rank, aspect);
                frames.add(new io.videopipe.clip.ClipFormat(aspect, name, STORE + r.jobId() + "/clips/" + name, 360,
                    360, -14.1, -1.5, 1_000_000, "centre", null, 2));
              }
              return new RenderedClip(rank, base + ".mp4", base + ".srt", base + ".vtt", r.highlight().startSec(),
                  r.highlight().endSec(), r.highlight().durationSec(), true, -14.1, -1.5, r.attempt(), 2.5, 1_000_000,
                  "centre", false, frames);
            }
            return new RenderedClip(rank, base + ".mp4", base + ".srt", base + ".vtt", r.highlight().startSec(),
                r.highlight().endSec(), r.highlight().durationSec(), true, -14.1, -1.5, r.attempt(), 2.5, 1_000_000);
          });
    }

    /** Ranks whose every render fails non-retryably. */
    void unrenderable(Integer... ranks) {
      unrenderable = Set.of(ranks);
    }

    @Override
    public RenderedClip render(ClipRequest request) {
      return call(request);
    }
  }

  final class Qa extends Fake<QaRequest, QaReport> implements QaActivities {
    private volatile boolean highlightsPass = true;
    /** Ranks each QualityCheck call fails, in call order; calls past the list's end fail none. */
    private final List<Set<Integer>> failingClips = new CopyOnWriteArrayList<>();
    private final AtomicInteger checks = new AtomicInteger();

    Qa() {
      super(null);
      answers(
          r -> {
            int call = checks.getAndIncrement();
            Set<Integer> failing = call < failingClips.size() ? failingClips.get(call) : Set.of();
            List<QaCheck> out = new ArrayList<>();
            out.add(new QaCheck("highlight.duration", highlightsPass, "30 s", "15..60 s"));
            for (RenderedClip c : r.clips()) {
              boolean ok = !failing.contains(c.rank());
              out.add(new QaCheck("clip.loudness", ok, ok ? "-14.1 LUFS" : "-19 LUFS", "-14 +/- 1 LUFS", c.rank()));
            }
            return new QaReport(out.stream().allMatch(QaCheck::passed), List.copyOf(out),
                STORE + r.jobId() + "/qa/qa.json", 0.1);
          });
    }

    /** The next QualityCheck call (after those already scripted) fails the loudness check of these clips. */
    void thenFailsClips(Integer... ranks) {
      failingClips.add(Set.of(ranks));
    }

    /** Every QualityCheck fails the job-wide highlight check. */
    void highlightsFail() {
      highlightsPass = false;
    }

    @Override
    public QaReport check(QaRequest request) {
      return call(request);
    }
  }

  final class Cost extends Fake<CostRequest, CostReport> implements CostActivities {
    Cost() {
      super(
          r -> new CostReport(0.0123,
              List.of(new CostLine("TRANSCRIBE", "cpu-seconds", 3, 0.000018, "2026-07", "test", 0.0123)),
              STORE + r.jobId() + "/cost/cost.json", List.of()));
    }

    @Override
    public CostReport computeCost(CostRequest request) {
      return call(request);
    }
  }

  final class Cleanup extends Fake<Deletion, Integer> implements CleanupActivities {
    Cleanup() {
      super(d -> 1);
    }

    @Override
    public int deleteArtifacts(String jobId, List<String> prefixes) {
      return call(new Deletion(jobId, List.copyOf(prefixes)));
    }
  }

  /** One NotifyWebhook call. */
  record Notification(String url, WebhookPayload payload) {}

  final class Webhook extends Fake<Notification, WebhookReceipt> implements WebhookActivities {
    Webhook() {
      super(n -> new WebhookReceipt(200, Activity.getExecutionContext().getInfo().getAttempt()));
    }

    @Override
    public WebhookReceipt notifyWebhook(String url, WebhookPayload payload) {
      return call(new Notification(url, payload));
    }
  }

  // ---- canned values and scripts

  static RouteFacts facts(boolean parakeet, boolean deepgram, boolean local) {
    return new RouteFacts(
        List.of(
            new EngineOption(Engine.PARAKEET, parakeet, 0.002, 0.05, parakeet ? "1 GPU poller" : "no GPU worker"),
            new EngineOption(Engine.DEEPGRAM, deepgram, 0.0043, 0.1, deepgram ? "API key set" : "no Deepgram key"),
            new EngineOption(Engine.LOCAL, local, 0.00024, 0.04, local ? "vosk model" : "no vosk model")));
  }

  static StoredSource stored(DownloadRequest r) {
    return new StoredSource(r.sourceUri(), STORE + r.jobId() + "/source/talk.mp4", 5_000_000, "ab12");
  }

  static ExtractedAudio extracted(String jobId) {
    MediaInfo media =
        new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", AUDIO_SEC, 800_000,
            List.of(new MediaInfo.VideoStream(0, "h264", 1920, 1080, 30)),
            List.of(new MediaInfo.AudioStream(1, "aac", 48_000, 2, "stereo", 60, "eng", true)),
            new MediaInfo.AudioTrack(1, "eng", "default track"));
    return new ExtractedAudio(STORE + jobId + "/audio/audio.wav", media, AUDIO_SEC, 0.5);
  }

  static TranscriptionOutcome outcome(TranscribeRequest r) {
    String dir = STORE + r.jobId() + "/transcript/transcript.";
    return new TranscriptionOutcome(
        r.engine(), dir + "json",
        Map.of("json", dir + "json", "srt", dir + "srt", "vtt", dir + "vtt", "txt", dir + "txt"),
        42, AUDIO_SEC, 0.9, "hello from " + r.engine().wireName(), 3.0, Map.of());
  }

  /** A gate an activity waits at, heartbeating like a real long step, until the test opens it. */
  static final class Gate {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** Called by the activity: heartbeats until {@link #open()}. */
    void pass() throws InterruptedException {
      ActivityExecutionContext context = Activity.getExecutionContext();
      entered.countDown();
      while (!release.await(100, TimeUnit.MILLISECONDS)) {
        context.heartbeat(null);
      }
    }

    /** Called by the activity of a step that does not heartbeat: waits without telling the server. */
    void passSilently() throws InterruptedException {
      entered.countDown();
      if (!release.await(10, TimeUnit.SECONDS)) {
        fail("gate never opened");
      }
    }

    /** Called by the test: waits until an activity is at the gate. */
    void awaitEntered() throws InterruptedException {
      if (!entered.await(10, TimeUnit.SECONDS)) {
        fail("no activity reached the gate within 10 s");
      }
    }

    void open() {
      release.countDown();
    }
  }

  /**
   * Called by an activity: heartbeats until the activity is cancelled, then records it and rethrows; fails after 20 s.
   */
  static void heartbeatUntilCancelled(CountDownLatch entered, AtomicBoolean cancelled) throws InterruptedException {
    ActivityExecutionContext context = Activity.getExecutionContext();
    entered.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        context.heartbeat(null);
      } catch (ActivityCanceledException e) {
        cancelled.set(true);
        throw e;
      }
      Thread.sleep(100);
    }
    fail("activity was never cancelled");
  }
}
