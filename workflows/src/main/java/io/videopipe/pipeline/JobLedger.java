package io.videopipe.pipeline;

import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Workflow;
import io.videopipe.notify.WebhookDelivery;
import io.videopipe.route.RoutePlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What a job is doing and has done, as the outside sees it: status, step, detail line, engine and priority (the
 * progress query and the Web UI's current details), the search attributes that mirror them, and the job's one timing
 * record: every step attempt ({@link StepTiming}, what the cost is priced from) plus the seconds spent in each step.
 */
final class JobLedger {
  /** Key of the whole job's seconds in {@link JobResult#timings()}. */
  static final String TOTAL = "total";

  private JobStatus status = JobStatus.RUNNING;
  private Step step = Step.QUEUED;
  private String engine;
  // 0 until the request or a reprioritise signal sets it; a signal may be handled before run() reads the request.
  private int priority;
  private String detail = "queued";
  private JobResult finalResult;
  private WebhookDelivery webhook;
  private final List<StepTiming> attempts = new ArrayList<>();
  private final Map<String, Double> secondsByStep = new LinkedHashMap<>();

  /** For steps whose activity reports no compute time of its own. */
  static <T> ToDoubleFunction<T> noComputeSeconds() {
    return result -> 0;
  }

  /** The job starts: the request's priority applies unless a signal already set one. */
  void start(int requestedPriority) {
    if (priority == 0) {
      priority = requestedPriority;
    }
    Workflow.upsertTypedSearchAttributes(
        SearchAttributes.STATUS.valueSet(JobStatus.RUNNING.name()),
        SearchAttributes.STEP.valueSet(Step.QUEUED.name()),
        SearchAttributes.PRIORITY.valueSet((long) priority));
  }

  /** Runs one activity call as step {@code s} on the CPU queue, recording its attempt and its seconds. */
  <T> T run(Step s, String what, String queue, Functions.Func<T> call, ToDoubleFunction<T> computeSec) {
    enter(s, what);
    long started = Workflow.currentTimeMillis();
    try {
      T value = call.apply();
      attempt(new StepTiming(s, queue, secondsSince(started), computeSec.applyAsDouble(value), null, true));
      return value;
    } catch (TemporalFailure e) {
      attempt(new StepTiming(s, queue, secondsSince(started), 0, null, false));
      throw e;
    } finally {
      spent(s, secondsSince(started));
    }
  }

  void enter(Step s, String what) {
    step = s;
    detail(what);
    Workflow.upsertTypedSearchAttributes(SearchAttributes.STEP.valueSet(s.name()));
  }

  /** What the job is doing, for the progress query and the Web UI's current details (and each activity's summary). */
  void detail(String what) {
    detail = what;
    Workflow.setCurrentDetails(step.name() + ": " + what);
  }

  /** The route is chosen: its primary engine and reason become searchable. */
  void routed(RoutePlan plan) {
    engine = plan.primary().wireName();
    Workflow.upsertTypedSearchAttributes(
        SearchAttributes.ENGINE.valueSet(engine), SearchAttributes.ROUTE.valueSet(plan.reason()));
    Workflow.upsertMemo(Map.of(VideoPipelineOptions.MEMO_ROUTE, plan.reason()));
  }

  /** The engine now transcribing (or, after a refinement, whose words the transcript holds). */
  void engine(String name) {
    engine = name;
    Workflow.upsertTypedSearchAttributes(SearchAttributes.ENGINE.valueSet(name));
  }

  String engine() {
    return engine;
  }

  /** Every step ran: the job's price becomes searchable. */
  void done(double costUsd) {
    step = Step.DONE;
    Workflow.upsertTypedSearchAttributes(
        SearchAttributes.STEP.valueSet(Step.DONE.name()), SearchAttributes.COST_USD.valueSet(costUsd));
  }

  void finish(JobStatus s, String what) {
    status = s;
    detail(what);
    Workflow.upsertTypedSearchAttributes(SearchAttributes.STATUS.valueSet(s.name()));
  }

  /** The pipeline has ended with this result; the execution may still be delivering its webhook. */
  void ended(JobResult result) {
    finalResult = result;
  }

  /** The result once the pipeline has ended, null before (the {@code finalResult} query). */
  JobResult finalResult() {
    return finalResult;
  }

  /** How the webhook delivery stands now (the {@code webhookDelivery} query). */
  void webhook(WebhookDelivery delivery) {
    webhook = delivery;
  }

  /** Null when the job has no webhook or has not reached it. */
  WebhookDelivery webhookDelivery() {
    return webhook;
  }

  boolean running() {
    return status == JobStatus.RUNNING;
  }

  Step step() {
    return step;
  }

  String detail() {
    return detail;
  }

  int priority() {
    return priority;
  }

  /**
   * Applies a new priority key to the steps scheduled from now on; false when it changes nothing.
   *
   * @param started whether the job has started, so its search attributes can be written
   */
  boolean reprioritize(int newPriority, boolean started) {
    if (newPriority == priority || status != JobStatus.RUNNING) {
      return false;
    }
    priority = newPriority;
    if (started) {
      Workflow.upsertTypedSearchAttributes(SearchAttributes.PRIORITY.valueSet((long) newPriority));
    }
    return true;
  }

  Progress progress() {
    return new Progress(
        status, step, step.startPercent, engine, priority == 0 ? JobRequest.DEFAULT_PRIORITY : priority, detail);
  }

  void attempt(StepTiming timing) {
    attempts.add(timing);
  }

  /** Adds seconds to a step's total (a step may run more than once: QA after a re-render, RENDER twice). */
  void spent(Step s, double seconds) {
    secondsByStep.merge(key(s), seconds, Double::sum);
  }

  void total(double seconds) {
    secondsByStep.put(TOTAL, seconds);
  }

  List<StepTiming> stepTimings() {
    return List.copyOf(attempts);
  }

  int attemptCount() {
    return attempts.size();
  }

  /** Seconds per step name, plus {@value #TOTAL}. */
  Map<String, Double> timings() {
    return new LinkedHashMap<>(secondsByStep);
  }

  /** Key of a step in {@link JobResult#timings()}: the step's name in lower case, e.g. "extract_audio". */
  static String key(Step s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  static double secondsSince(long startedMillis) {
    return (Workflow.currentTimeMillis() - startedMillis) / 1000.0;
  }
}
