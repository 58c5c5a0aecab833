package io.videopipe.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoragePathsTest {

  @ParameterizedTest
  @ValueSource(strings = {"job-1", "7f3c2a9e-1b2c-4d5e-8f90-123456789abc", "video.pipeline_42"})
  void acceptsSafeJobIds(String jobId) {
    assertThat(StoragePaths.requireJobId(jobId)).isEqualTo(jobId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "..", ".", "a/b", "a\\b", "a b", "a?b", "a#b", "a%2Fb", "\n"})
  void rejectsUnsafeJobIds(String jobId) {
    assertThatThrownBy(() -> StoragePaths.requireJobId(jobId)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "source/", "audio", "highlights/1/clip.mp4", "qa/"})
  void acceptsRelativePaths(String path) {
    assertThat(StoragePaths.requireRelativePath(path)).isEqualTo(path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc/", "../other-job/", "source/../../x", "./source", "a//b", "C:\\x", "gs://b/x", "a\\..\\b"})
  void rejectsPathsThatCouldLeaveTheJobPrefix(String path) {
    assertThatThrownBy(() -> StoragePaths.requireRelativePath(path)).isInstanceOf(IllegalArgumentException.class);
  }
}
