package io.videopipe.pipeline;

/** Names of the two task queues; settings, so deployments can run several pipelines side by side. */
public record TaskQueues(String cpu, String gpu) {
  public static final String DEFAULT_CPU = "video-cpu";
  public static final String DEFAULT_GPU = "video-gpu";

  public static TaskQueues defaults() {
    return new TaskQueues(DEFAULT_CPU, DEFAULT_GPU);
  }
}
