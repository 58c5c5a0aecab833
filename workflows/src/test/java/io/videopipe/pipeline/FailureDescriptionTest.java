package io.videopipe.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

class FailureDescriptionTest {
  @Test
  void describeNamesTheActivityCause() {
    ErrorInfo info = FailureDescription.describe(ApplicationFailure.newFailure("boom", "X"));
    assertThat(info).isEqualTo(new ErrorInfo("X", "boom"));
    assertThat(FailureDescription.describe(new IllegalStateException("odd")))
        .isEqualTo(new ErrorInfo("IllegalStateException", "odd"));
  }
}
