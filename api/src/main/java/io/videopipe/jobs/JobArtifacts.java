package io.videopipe.jobs;

import io.videopipe.pipeline.JobIds;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.storage.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;

/**
 * Opens a job's artifacts in storage for streaming. Artifacts are served once the job has ended: a running job may
 * still be cancelled, which deletes them.
 */
@Service
@Profile({"local", "api"})
public class JobArtifacts {

  /** The JSON reports of a finished job, each at a fixed path under the job's prefix. */
  public enum Report {
    HIGHLIGHTS("highlights", JobPaths.highlights()),
    QA("QA report", JobPaths.qaReport()),
    COST("cost report", JobPaths.costReport());

    private final String label;
    private final String path;

    Report(String label, String path) {
      this.label = label;
      this.path = path;
    }
  }

  /** An open artifact: the caller streams and closes {@code body}. */
  public record Artifact(InputStream body, MediaType mediaType, String filename) {}

  /** A stored file of known size that can be read from any offset (for HTTP range requests). */
  public record StoredFile(long size, MediaType mediaType, String filename, Opener opener) {
    public InputStream open(long offset) throws IOException {
      return opener.open(offset);
    }
  }

  /** Opens a stored file at a byte offset. */
  public interface Opener {
    InputStream open(long offset) throws IOException;
  }

  private final JobService jobs;
  private final Storage storage;

  public JobArtifacts(JobService jobs, Storage storage) {
    this.jobs = jobs;
    this.storage = storage;
  }

  /**
   * The job's transcript in {@code format}.
   *
   * @throws JobNotFoundException for an unknown job
   * @throws JobConflictException while the job runs, or when it ended without a transcript
   */
  public Artifact transcript(String jobId, TranscriptFormat format) {
    JobView job = endedJob(jobId, "transcript");
    JobResult result = job.result();
    Map<String, String> artifacts =
        result == null || result.transcription() == null ? null : result.transcription().artifacts();
    String uri = artifacts == null ? null : artifacts.get(format.key());
    if (uri == null) {
      throw new JobConflictException(
          "No transcript", "job '" + jobId + "' has no transcript: it ended " + ending(job) + " before transcription");
    }
    return open(jobId, URI.create(uri), "transcript", format.mediaType(), jobId + "." + format.key());
  }

  /**
   * One of the job's JSON reports.
   *
   * @throws JobNotFoundException for an unknown job
   * @throws JobConflictException while the job runs, or when it ended without that report
   */
  public Artifact report(String jobId, Report report) {
    JobView job = endedJob(jobId, report.label);
    URI uri = storage.jobUri(jobId, report.path);
    if (job.status() == JobStatus.FAILED || job.status() == JobStatus.CANCELLED) {
      try {
        if (storage.size(uri).isEmpty()) {
          throw new JobConflictException(
              "No " + report.label,
              "job '" + jobId + "' has no " + report.label + ": it ended " + ending(job) + " before it was made");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String name = report.path.substring(report.path.indexOf('/') + 1);
    return open(jobId, uri, report.label, MediaType.APPLICATION_JSON, jobId + "-" + name);
  }

  /**
   * A rendered clip or one of its caption files, straight from storage, once the job has ended: until QA has passed a
   * clip may still be rendered again, so only an ended job's clips are final.
   *
   * @throws ClipNotFoundException when the job has no such file
   * @throws JobConflictException while the job runs
   */
  public StoredFile clip(String jobId, ClipFile file) {
    if (!JobIds.isValid(jobId)) {
      throw new ClipNotFoundException("no job with id '" + jobId + "'");
    }
    try {
      endedJob(jobId, "final clips");
    } catch (JobNotFoundException e) {
      throw new ClipNotFoundException("no job with id '" + jobId + "'");
    }
    URI uri = storage.jobUri(jobId, JobPaths.CLIPS + file.fileName());
    try {
      long size =
          storage
              .size(uri)
              .orElseThrow(
                  () ->
                      new ClipNotFoundException(
                          "job '" + jobId + "' has no clip " + file.rank() + " ("
                              + (file.aspect() == null ? "" : file.aspect() + " ") + file.extension()
                              + "): no such job, the job rendered fewer clips, or it has not rendered it yet"));
      return new StoredFile(size, file.mediaType(), jobId + "-" + file.fileName(), offset -> storage.openRead(uri, offset));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read clip " + file.rank() + " of job '" + jobId + "' from " + uri, e);
    }
  }

  private JobView endedJob(String jobId, String what) {
    JobView job = jobs.view(jobId);
    if (job.open()) {
      throw new JobConflictException(
          "Job still running",
          "job '"
              + jobId
              + "' has no "
              + what
              + " yet: it is still running (step "
              + job.step()
              + ", "
              + job.percent()
              + "%); ask again once it has ended");
    }
    return job;
  }

  private static String ending(JobView job) {
    String why = job.error() == null || job.error().message() == null ? "" : " (" + job.error().message() + ")";
    return job.status() + why;
  }

  private Artifact open(String jobId, URI uri, String what, MediaType type, String filename) {
    try {
      return new Artifact(storage.openRead(uri), type, filename);
    } catch (FileNotFoundException e) {
      throw new JobConflictException(
          "Artifact gone", "the " + what + " of job '" + jobId + "' is no longer in storage (" + uri + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the " + what + " of job '" + jobId + "' from " + uri, e);
    }
  }
}
