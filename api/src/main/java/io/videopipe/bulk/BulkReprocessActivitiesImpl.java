package io.videopipe.bulk;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.SearchAttributes;
import io.videopipe.pipeline.VideoPipelineOptions;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import io.videopipe.storage.Storage;
import io.videopipe.pipeline.ErrorTypes;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import io.videopipe.pipeline.SourceDisplay;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Selection by storage prefix (sorted listing, the cursor is the last URI handed out) or by past jobs through
 * visibility ({@code ListWorkflowExecutions}; the cursor is the server's page token). The embedded test server has no
 * visibility queries: there the past-jobs selection fails with {@value #UNSUPPORTED_TYPE}.
 */
public class BulkReprocessActivitiesImpl implements BulkReprocessActivities {
  static final String NO_VISIBILITY =
      "the embedded Temporal test server has no visibility queries (ListWorkflowExecutions): select videos by prefix,"
          + " or run against a real Temporal server to select past jobs by engine and date";

  private final Storage storage;
  private final Supplier<WorkflowServiceGrpc.WorkflowServiceBlockingStub> stub;
  private final String namespace;

  public BulkReprocessActivitiesImpl(
      Storage storage, Supplier<WorkflowServiceGrpc.WorkflowServiceBlockingStub> stub, String namespace) {
    this.storage = storage;
    this.stub = stub;
    this.namespace = namespace;
  }

  @Override
  public SourcePage selectSources(BulkSelection selection, String cursor, int pageSize) {
    return selection.byPrefix() ? byPrefix(selection.prefix(), cursor, pageSize) : pastJobs(selection, cursor, pageSize);
  }

  /**
   * Resolves a prefix written as a path relative to the storage root ({@code incoming/}) or as a URI under it ({@code
   * gs://bucket/root/incoming/}, {@code file:///…}): the one rule for a bulk prefix, applied at submit and again by
   * the selection.
   *
   * @throws IllegalArgumentException naming why: malformed, a {@code ..} segment, an absolute path, or outside storage
   */
  public static URI prefixUri(Storage storage, String prefix) {
    String p = prefix.strip();
    String shown = "prefix '" + SourceDisplay.redact(p) + "'";
    if (Arrays.asList(p.split("[/\\\\]")).contains("..")) {
      throw new IllegalArgumentException(shown + " has a '..' segment: give a path under the storage root "
          + storage.root() + " (videopipe.storage.root), e.g. incoming/");
    }
    if (p.startsWith("/") || p.startsWith("\\") || p.matches("[A-Za-z]:[/\\\\].*")) {
      throw new IllegalArgumentException(shown + " is an absolute path: give a path relative to the storage root "
          + storage.root() + " (videopipe.storage.root), e.g. incoming/, or a URI under it");
    }
    URI uri;
    try {
      uri = new URI(p);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(shown + " is not a valid path or URI: " + e.getReason());
    }
    if (uri.getScheme() == null) {
      uri = storage.root().resolve(uri);
    }
    if (!storage.owns(uri)) {
      throw new IllegalArgumentException(shown + " is outside the storage root " + storage.root() + ": bulk runs reprocess videos in storage (videopipe.storage.root)");
    }
    return uri;
  }

  private SourcePage byPrefix(String prefix, String cursor, int pageSize) {
    URI uri;
    try {
      uri = prefixUri(storage, prefix);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), ErrorTypes.INVALID_REQUEST);
    }
    List<String> all;
    try {
      all =
          storage.list(uri).stream()
              .map(URI::toString)
              // temp files of writes in progress start with a dot
              .filter(s -> !s.substring(s.lastIndexOf('/') + 1).startsWith("."))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("cannot list " + uri + ": " + e.getMessage(), ErrorTypes.TRANSIENT);
    }
    List<String> page = new ArrayList<>();
    int i = 0;
    while (i < all.size() && cursor != null && all.get(i).compareTo(cursor) <= 0) {
      i++;
    }
    for (; i < all.size() && page.size() < pageSize; i++) {
      page.add(all.get(i));
    }
    return new SourcePage(page, i < all.size() ? page.get(page.size() - 1) : null, null);
  }

  /** The visibility query for past jobs; values are validated, so nothing is injected into it. */
  static String pastJobsQuery(BulkSelection s) {
    StringBuilder q = new StringBuilder("WorkflowType = '" + VideoPipelineWorkflow.TYPE + "'");
    if (s.engine() != null) {
      if (!s.engine().matches("[a-z+]{1,40}")) {
        throw new IllegalArgumentException("engine must be an engine name such as local, deepgram, parakeet");
      }
      q.append(" AND ").append(SearchAttributes.ENGINE.getName()).append(" = '").append(s.engine()).append('\'');
    }
    if (s.from() != null) {
      q.append(" AND StartTime >= '").append(instant("from", s.from())).append('\'');
    }
    if (s.to() != null) {
      q.append(" AND StartTime < '").append(instant("to", s.to())).append('\'');
    }
    return q.toString();
  }

  private static Instant instant(String name, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z: " + value);
    }
  }

  private SourcePage pastJobs(BulkSelection selection, String cursor, int pageSize) {
    String query;
    try {
      query = pastJobsQuery(selection);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), ErrorTypes.INVALID_REQUEST);
    }
    ListWorkflowExecutionsResponse response;
    try {
      response =
          stub.get()
              .listWorkflowExecutions(
                  ListWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(namespace)
                      .setQuery(query)
                      .setPageSize(pageSize)
                      .setNextPageToken(
                          cursor == null ? ByteString.EMPTY : ByteString.copyFrom(Base64.getUrlDecoder().decode(cursor)))
                      .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        throw ApplicationFailure.newNonRetryableFailure(NO_VISIBILITY, UNSUPPORTED_TYPE);
      }
      throw ApplicationFailure.newFailure("visibility query failed: " + e.getStatus(), ErrorTypes.TRANSIENT);
    }
    // Each past job's source with its tenant: its reprocessed job belongs to the tenant that owned it, not to the
    // admin who started the run. A video several tenants processed is reprocessed once for each of them.
    java.util.LinkedHashSet<List<String>> selected = new java.util.LinkedHashSet<>();
    for (WorkflowExecutionInfo info : response.getExecutionsList()) {
      Payload source = info.getMemo().getFieldsMap().get(VideoPipelineOptions.MEMO_SOURCE);
      if (source != null) {
        selected.add(List.of(
            DefaultDataConverter.STANDARD_INSTANCE.fromPayload(source, String.class, String.class), ownerOf(info)));
      }
    }
    String next =
        response.getNextPageToken().isEmpty()
            ? null
            : Base64.getUrlEncoder().withoutPadding().encodeToString(response.getNextPageToken().toByteArray());
    return new SourcePage(
        selected.stream().map(s -> s.get(0)).toList(), next, selected.stream().map(s -> s.get(1)).toList());
  }

  /** The tenant of a past job: search attribute, else memo; jobs from before tenants belong to the default one. */
  private static String ownerOf(WorkflowExecutionInfo info) {
    for (Payload p :
        new Payload[] {
          info.getSearchAttributes().getIndexedFieldsMap().get(SearchAttributes.TENANT.getName()),
          info.getMemo().getFieldsMap().get(VideoPipelineOptions.MEMO_TENANT)
        }) {
      if (p != null) {
        try {
          String t = DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, String.class, String.class);
          if (t != null && !t.isBlank()) {
            return t;
          }
        } catch (RuntimeException unreadable) {
          // try the next record of it
        }
      }
    }
    return io.videopipe.security.Caller.DEFAULT_TENANT;
  }
}
