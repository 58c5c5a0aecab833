package io.videopipe.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.storage.GcsStorage;
import io.videopipe.storage.LocalStorage;
import io.videopipe.storage.PendingWrite;
import io.videopipe.storage.Storage;
import io.videopipe.testing.ActivityTestEnvironment;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CleanupActivitiesImplTest {
  @TempDir Path tmp;

  @RegisterExtension
  final ActivityTestEnvironment testEnv =
      ActivityTestEnvironment.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build();

  private Storage storage(String kind) {
    return kind.equals("local")
        ? new LocalStorage(tmp.resolve("data"))
        : new GcsStorage(LocalStorageHelper.getOptions().getService(), URI.create("gs://bucket/vp/"), tmp.resolve("t"));
  }

  private CleanupActivities activity(Storage storage) {
    return testEnv.register(new CleanupActivitiesImpl(storage)).stub(CleanupActivities.class);
  }

  private static void write(Storage storage, String jobId, String path) throws IOException {
    try (PendingWrite w = storage.create(storage.jobUri(jobId, path))) {
      w.stream().write(path.getBytes());
      w.commit();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "gcs"})
  void deletesTheNamedPrefixesOfOneJobIdempotently(String kind) throws IOException {
    Storage storage = storage(kind);
    write(storage, "j1", "source/video.mp4");
    write(storage, "j1", "audio/audio.wav");
    write(storage, "j1", "audio/chunks/0001.wav");
    write(storage, "j1", "transcript/transcript.json");
    write(storage, "j10", "audio/audio.wav");
    CleanupActivities activity = activity(storage);

    int first = activity.deleteArtifacts("j1", List.of(JobPaths.AUDIO, JobPaths.SOURCE, JobPaths.HIGHLIGHTS));
    int second = activity.deleteArtifacts("j1", List.of(JobPaths.AUDIO, JobPaths.SOURCE, JobPaths.HIGHLIGHTS));

    assertThat(first).isEqualTo(3);
    assertThat(second).isZero();
    assertThat(storage.list(storage.jobUri("j1", ""))).containsExactly(storage.jobUri("j1", "transcript/transcript.json"));
    assertThat(storage.list(storage.jobUri("j10", ""))).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "gcs"})
  void emptyPrefixDeletesTheWholeJob(String kind) throws IOException {
    Storage storage = storage(kind);
    write(storage, "j1", "source/video.mp4");
    write(storage, "j1", "qa/report.json");
    write(storage, "j10", "qa/report.json");

    int deleted = activity(storage).deleteArtifacts("j1", List.of(""));

    assertThat(deleted).isEqualTo(2);
    assertThat(storage.list(storage.jobUri("j1", ""))).isEmpty();
    assertThat(storage.list(storage.jobUri("j10", ""))).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../j10/", "/etc/", "audio/../../j10/", "C:\\data", "gs://bucket/vp/"})
  void rejectsPrefixesThatLeaveTheJobAndDeletesNothing(String prefix) throws IOException {
    Storage storage = storage("local");
    write(storage, "j1", "audio/audio.wav");
    write(storage, "j10", "audio/audio.wav");

    Throwable t = catchThrowable(() -> activity(storage).deleteArtifacts("j1", List.of("audio/", prefix)));

    ApplicationFailure f = (ApplicationFailure) t.getCause();
    assertThat(f.getType()).isEqualTo(ErrorTypes.INVALID_REQUEST);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(storage.list(storage.jobUri("j1", ""))).hasSize(1);
    assertThat(storage.list(storage.jobUri("j10", ""))).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "..", "a/b"})
  void rejectsUnsafeJobIds(String jobId) {
    Throwable t = catchThrowable(() -> activity(storage("local")).deleteArtifacts(jobId, List.of("audio/")));

    ApplicationFailure f = (ApplicationFailure) t.getCause();
    assertThat(f.getType()).isEqualTo(ErrorTypes.INVALID_REQUEST);
    assertThat(f.isNonRetryable()).isTrue();
  }
}
