package io.videopipe.cost;

import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.storage.JsonArtifacts;
import io.videopipe.storage.Storage;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/** Prices a job with {@link CostModel} and writes {@code jobs/<jobId>/cost/cost.json}. */
public final class CostActivitiesImpl implements CostActivities {


  private final Storage storage;
  private final CostModel model;

  public CostActivitiesImpl(Storage storage, CostModel model) {
    this.storage = storage;
    this.model = model;
  }

  /** What cost.json holds: the lines plus every price and assumption behind them. */
  record CostDocument(
      String jobId,
      double totalUsd,
      String total,
      double audioSec,
      long storedBytes,
      Prices prices,
      CostModel.Assumptions assumptions,
      List<CostLine> lines,
      List<EngineCost> alternatives) {}

  @Override
  public CostReport computeCost(CostRequest request) {
    if (request == null || request.jobId() == null) {
      throw ApplicationFailure.newNonRetryableFailure("ComputeCost needs a jobId", ErrorTypes.INVALID_REQUEST);
    }
    List<CostLine> lines = model.lines(request);
    double total = CostModel.total(lines);
    List<EngineCost> alternatives = model.alternatives(request, lines);
    URI uri = storage.jobUri(request.jobId(), JobPaths.costReport());
    CostDocument doc =
        new CostDocument(
            request.jobId(),
            total,
            CostModel.display(total),
            request.audioSec(),
            request.storedBytes(),
            model.prices(),
            model.assumptions(),
            lines,
            alternatives);
    try {
      JsonArtifacts.write(storage, uri, doc);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause("cannot write " + uri + ": " + e.getMessage(), ErrorTypes.TRANSIENT, e);
    }
    return new CostReport(total, lines, uri.toString(), alternatives);
  }
}
