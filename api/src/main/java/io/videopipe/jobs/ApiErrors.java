package io.videopipe.jobs;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Errors as RFC 9457 problem details with a message a person understands. Ahead of Spring's own problem-details
 * advice, which would otherwise answer unreadable bodies with a generic detail.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiErrors {
  /** Seconds a client should wait before retrying a call the Temporal server did not answer. */
  static final int TEMPORAL_RETRY_AFTER_SECONDS = 5;

  private final ObjectProvider<WorkflowClient> temporal;

  public ApiErrors(ObjectProvider<WorkflowClient> temporal) {
    this.temporal = temporal;
  }

  /**
   * The Temporal frontend down or too slow (gRPC UNAVAILABLE or DEADLINE_EXCEEDED, straight from the service stubs or
   * inside the SDK's {@link WorkflowException}): 503 with Retry-After, since the same call succeeds once it answers.
   * Any other failure is rethrown and answered as before.
   */
  @ExceptionHandler({StatusRuntimeException.class, WorkflowException.class})
  ResponseEntity<ProblemDetail> temporalUnavailable(RuntimeException e) {
    Status.Code code = unavailable(e);
    if (code == null) {
      throw e;
    }
    String target = temporalTarget();
    ProblemDetail p;
    if (code == Status.Code.DEADLINE_EXCEEDED && serverAnswers()) {
      // A query (the job view's progress) waits for a worker to run it: with none polling, it times out while the
      // server itself answers at once.
      p = problem(HttpStatus.SERVICE_UNAVAILABLE, "Workers not answering",
          "the Temporal server at " + target + " answers, but the job's workflow did not answer in time"
              + " (DEADLINE_EXCEEDED): no cpu-worker polls its task queue, or all are busy; start one, then retry in "
              + TEMPORAL_RETRY_AFTER_SECONDS + " s");
    } else {
      p = problem(HttpStatus.SERVICE_UNAVAILABLE, "Temporal unavailable",
          "the Temporal server at " + target + " is not answering (" + code + "); check that it runs and that"
              + " videopipe.temporal.address (TEMPORAL_ADDRESS) points at it, then retry in "
              + TEMPORAL_RETRY_AFTER_SECONDS + " s (a submit retried with the same Idempotency-Key never starts a"
              + " second job)");
    }
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Integer.toString(TEMPORAL_RETRY_AFTER_SECONDS))
        .body(p);
  }

  /**
   * UNAVAILABLE or DEADLINE_EXCEEDED where the failure or one of its causes is a gRPC status; null otherwise. A call
   * whose connection the server tore down while it was being written reads UNKNOWN "channel closed" with the
   * transport's IOException as cause (seen when the server is killed mid-request): that is UNAVAILABLE too.
   */
  static Status.Code unavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        Status.Code code = s.getStatus().getCode();
        if (code == Status.Code.UNKNOWN && causedByIo(s)) {
          return Status.Code.UNAVAILABLE;
        }
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED ? code : null;
      }
    }
    return null;
  }

  private static boolean causedByIo(Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /** The frontend answers a cheap call now: a timeout was the workflow's, not the server's. */
  private boolean serverAnswers() {
    WorkflowClient client = temporal.getIfAvailable();
    if (client == null) {
      return false;
    }
    try {
      client.getWorkflowServiceStubs().blockingStub().withDeadlineAfter(2, java.util.concurrent.TimeUnit.SECONDS)
          .getSystemInfo(io.temporal.api.workflowservice.v1.GetSystemInfoRequest.getDefaultInstance());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String temporalTarget() {
    WorkflowClient client = temporal.getIfAvailable();
    String target = client == null ? null : client.getWorkflowServiceStubs().getOptions().getTarget();
    return target == null ? "(in-process)" : target;
  }

  @ExceptionHandler(JobNotFoundException.class)
  ProblemDetail notFound(JobNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Job not found", e.getMessage());
  }

  @ExceptionHandler(JobConflictException.class)
  ProblemDetail conflict(JobConflictException e) {
    return problem(HttpStatus.CONFLICT, e.title(), e.getMessage());
  }

  @ExceptionHandler(IdempotencyKeyReusedException.class)
  ProblemDetail idempotencyKeyReused(IdempotencyKeyReusedException e) {
    return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency key reused", e.getMessage());
  }

  @ExceptionHandler(ClipNotFoundException.class)
  ProblemDetail clipNotFound(ClipNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Clip not found", e.getMessage());
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badRequest(IllegalArgumentException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ProblemDetail unreadable(HttpMessageNotReadableException e) {
    Throwable cause = e.getMostSpecificCause();
    String detail;
    if (cause instanceof IllegalArgumentException) {
      detail = cause.getMessage();
    } else if (cause instanceof UnrecognizedPropertyException unknown) {
      detail = "unknown field '" + field(unknown) + "'"
          + (unknown.getKnownPropertyIds() == null ? "" : "; known fields: " + known(unknown));
    } else if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      detail = "field '" + field(mismatch) + "' must be " + expected(mismatch.getTargetType())
          + (cause instanceof InvalidFormatException bad ? ", was " + quoted(bad.getValue()) : "");
    } else {
      detail = "request body is not valid JSON for a job";
    }
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", detail);
  }

  /** The field's path in the body, e.g. {@code highlights.maxCount}. */
  private static String field(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String known(UnrecognizedPropertyException e) {
    return e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isRecord() || Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    return "a " + type.getSimpleName();
  }

  private static String quoted(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  private static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setTitle(title);
    return p;
  }
}
