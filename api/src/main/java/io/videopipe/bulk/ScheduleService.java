package io.videopipe.bulk;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import io.videopipe.pipeline.VideoPipelineOptions;
import io.videopipe.security.Caller;

/**
 * Recurring bulk reprocessing. On a real Temporal server a schedule ({@link ScheduleClient}) starts a {@link
 * BulkReprocessWorkflow} each time. The embedded test server has no schedules: there the bulk workflow itself runs as
 * a cron workflow, which cannot be paused, triggered or listed; those operations answer {@link
 * ScheduleUnsupportedException}.
 */
public class ScheduleService {
  static final String EMBEDDED_MODE = "cron-workflow (embedded server has no schedules)";
  static final String SCHEDULE_MODE = "schedule";
  static final String MEMO_CRON = "cron";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private final ScheduleClient schedules;
  private final WorkflowClient client;
  private final ReprocessService reprocess;
  /** Embedded server: the cron workflows this process started, with their tenants ("" for none). */
  private final Map<String, String> cronWorkflows = new ConcurrentHashMap<>();

  /** @param schedules null on the embedded server */
  public ScheduleService(ScheduleClient schedules, WorkflowClient client, ReprocessService reprocess) {
    this.schedules = schedules;
    this.client = client;
    this.reprocess = reprocess;
  }

  public boolean embedded() {
    return schedules == null;
  }

  /** Creates a schedule owned by {@code tenant} (null for none): its runs and their jobs carry the tenant. */
  public Map<String, Object> create(ScheduleRequest body, String tenant) {
    if (body == null || body.id() == null || !ID.matcher(body.id()).matches()) {
      throw new IllegalArgumentException("id is required: letters, digits, '.', '_' or '-', at most 100");
    }
    boolean hasCron = body.cron() != null && !body.cron().isBlank();
    boolean hasInterval = body.interval() != null && !body.interval().isBlank();
    if (hasCron == hasInterval) {
      throw new IllegalArgumentException("give either cron (e.g. \"0 3 * * *\") or interval (e.g. \"PT6H\")");
    }
    if (body.reprocess() == null) {
      throw new IllegalArgumentException("reprocess is required: what each run reprocesses");
    }
    BulkRequest request = reprocess.admit(body.reprocess().toRequest("schedule:" + body.id(), tenant));
    Duration interval = hasInterval ? interval(body.interval()) : null;
    if (hasCron && body.cron().strip().split("\\s+").length != 5) {
      throw new IllegalArgumentException("cron must have five fields (minute hour day-of-month month day-of-week)");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("scheduleId", body.id());
    if (embedded()) {
      String cron = hasCron ? body.cron().strip() : cronFor(interval);
      String workflowId = body.id();
      try {
        BulkReprocessWorkflow wf =
            client.newWorkflowStub(BulkReprocessWorkflow.class, reprocess.options(workflowId, cron, tenant));
        WorkflowClient.start(wf::run, request);
      } catch (WorkflowExecutionAlreadyStarted e) {
        throw new ScheduleConflictException("a schedule (cron workflow) with id " + body.id() + " exists already");
      }
      cronWorkflows.put(workflowId, tenant == null ? "" : tenant);
      reprocess.started(workflowId); // its children, in the listing of the embedded server
      answer.put("mode", EMBEDDED_MODE);
      answer.put("cron", cron);
      answer.put("workflowId", workflowId);
      return answer;
    }
    ScheduleSpec.Builder spec = ScheduleSpec.newBuilder();
    if (hasCron) {
      spec.setCronExpressions(List.of(body.cron().strip()));
    } else {
      spec.setIntervals(List.of(new ScheduleIntervalSpec(interval)));
    }
    WorkflowOptions.Builder run =
        WorkflowOptions.newBuilder().setWorkflowId(body.id() + "-run").setTaskQueue(reprocess.queues().cpu());
    if (tenant != null) {
      run.setMemo(Map.of(VideoPipelineOptions.MEMO_TENANT, tenant))
          .setTypedSearchAttributes(
              io.temporal.common.SearchAttributes.newBuilder()
                  .set(io.videopipe.pipeline.SearchAttributes.TENANT, tenant)
                  .build());
    }
    WorkflowOptions options = run.build();
    Schedule schedule =
        Schedule.newBuilder()
            .setAction(
                ScheduleActionStartWorkflow.newBuilder()
                    .setWorkflowType(BulkReprocessWorkflow.class)
                    .setArguments(request)
                    .setOptions(options)
                    .build())
            .setSpec(spec.build())
            .build();
    try {
      // The server keeps a cron expression only as calendar ranges: the memo keeps the text the user gave, to list it.
      Map<String, Object> memo = new java.util.HashMap<>();
      if (hasCron) {
        memo.put(MEMO_CRON, body.cron().strip());
      }
      if (tenant != null) {
        memo.put(VideoPipelineOptions.MEMO_TENANT, tenant);
      }
      schedules.createSchedule(body.id(), schedule, ScheduleOptions.newBuilder().setMemo(memo).build());
    } catch (ScheduleAlreadyRunningException e) {
      throw new ScheduleConflictException("a schedule with id " + body.id() + " exists already");
    }
    answer.put("mode", SCHEDULE_MODE);
    if (hasCron) {
      answer.put("cron", body.cron().strip());
    } else {
      answer.put("interval", interval.toString());
    }
    return answer;
  }

  /** The schedules {@code caller} may see: its tenant's, or all for an admin key (or no caller). */
  public Map<String, Object> list(Caller caller) {
    Map<String, Object> answer = new LinkedHashMap<>();
    List<Map<String, Object>> items = new ArrayList<>();
    if (embedded()) {
      cronWorkflows.forEach((id, tenant) -> {
        if (caller == null || caller.mayAccess(tenant.isEmpty() ? null : tenant)) {
          items.add(Map.of("scheduleId", id, "mode", EMBEDDED_MODE));
        }
      });
      answer.put("schedules", items);
      answer.put(
          "degraded",
          "the embedded Temporal test server has no schedules: this lists the cron workflows this process started");
      return answer;
    }
    schedules.listSchedules().forEach(d -> {
      Object tenant = d.getMemo(VideoPipelineOptions.MEMO_TENANT, String.class);
      if (caller == null || caller.mayAccess(tenant instanceof String t ? t : null)) {
        items.add(describe(d));
      }
    });
    answer.put("schedules", items);
    return answer;
  }

  private static Map<String, Object> describe(ScheduleListDescription d) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("scheduleId", d.getScheduleId());
    if (d.getSchedule() != null) {
      item.put("paused", d.getSchedule().getState() != null && d.getSchedule().getState().isPaused());
      if (d.getSchedule().getSpec() != null) {
        ScheduleSpec spec = d.getSchedule().getSpec();
        Object cron = memo(d);
        if (cron != null) {
          item.put("cron", List.of(cron));
        } else if (spec.getCronExpressions() != null && !spec.getCronExpressions().isEmpty()) {
          item.put("cron", spec.getCronExpressions());
        } else if (spec.getCalendars() != null && !spec.getCalendars().isEmpty()) {
          item.put("calendars", spec.getCalendars().stream().map(Object::toString).toList());
        }
        if (spec.getIntervals() != null && !spec.getIntervals().isEmpty()) {
          item.put("intervals", spec.getIntervals().stream().map(i -> i.getEvery().toString()).toList());
        }
      }
    }
    if (d.getInfo() != null && d.getInfo().getNextActionTimes() != null) {
      item.put("nextActionTimes", d.getInfo().getNextActionTimes().stream().map(Object::toString).toList());
    }
    return item;
  }

  private static Object memo(ScheduleListDescription d) {
    try {
      return d.getMemo(MEMO_CRON, String.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  public void pause(String id, String note) {
    onSchedule(id, "paused", h -> h.pause(note == null ? "paused through the API" : note));
  }

  public void unpause(String id) {
    onSchedule(id, "unpaused", h -> h.unpause("unpaused through the API"));
  }

  public void trigger(String id) {
    onSchedule(id, "triggered", h -> h.trigger());
  }

  public void delete(String id) {
    if (embedded()) {
      try {
        // Terminating the cron workflow ends the chain of runs: the closest the embedded server has to deleting.
        client.newUntypedWorkflowStub(id).terminate("schedule deleted through the API");
      } catch (WorkflowNotFoundException e) {
        throw new ScheduleNotFoundException(id);
      }
      cronWorkflows.remove(id);
      return;
    }
    onSchedule(id, "deleted", h -> h.delete());
  }

  private void onSchedule(String id, String what, Consumer<io.temporal.client.schedules.ScheduleHandle> op) {
    if (embedded()) {
      if (!cronWorkflows.containsKey(id)) {
        throw new ScheduleNotFoundException(id);
      }
      throw new ScheduleUnsupportedException(
          "a schedule cannot be " + what + " on the embedded Temporal test server: it has no schedules, and " + id
              + " runs as a cron workflow, which cannot be " + what + "; delete it and create it again, or run a"
              + " real Temporal server");
    }
    try {
      op.accept(schedules.getHandle(id));
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
          throw new ScheduleNotFoundException(id);
        }
      }
      throw e;
    }
  }

  static Duration interval(String text) {
    Duration d;
    try {
      d = Duration.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("interval must be an ISO-8601 duration such as PT15M or PT6H: " + text);
    }
    if (d.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("interval must be at least one minute: " + text);
    }
    return d;
  }

  /** The cron expression with the same period, where there is one; otherwise a validation error. */
  static String cronFor(Duration interval) {
    long seconds = interval.getSeconds();
    if (interval.getNano() == 0 && seconds % 60 == 0) {
      long minutes = seconds / 60;
      if (minutes < 60 && 60 % minutes == 0) {
        return minutes == 1 ? "* * * * *" : "*/" + minutes + " * * * *";
      }
      if (minutes % 60 == 0) {
        long hours = minutes / 60;
        if (hours < 24 && 24 % hours == 0) {
          return hours == 1 ? "0 * * * *" : "0 */" + hours + " * * *";
        }
        if (hours == 24) {
          return "0 0 * * *";
        }
        if (hours == 24 * 7) {
          return "0 0 * * 0";
        }
      }
    }
    throw new IllegalArgumentException(
        "interval " + interval + " has no cron equivalent, and the embedded Temporal test server has no schedules:"
            + " give a cron expression, or an interval that divides an hour or a day");
  }
}
