package io.videopipe.pipeline;

/** The durable steps of one video job, in the order they run. */
public enum Step {
  QUEUED(0),
  DOWNLOAD(5),
  EXTRACT_AUDIO(15),
  ROUTE(25),
  TRANSCRIBE(27),
  /** HYBRID only: low-confidence stretches re-transcribed by the refiner engine. */
  REFINE(70),
  HIGHLIGHT(78),
  /** One RenderClip activity per highlight, in parallel; a clip that fails QA is rendered once more. */
  RENDER(82),
  QA(92),
  COST(97),
  DONE(100);

  /** Overall percent complete when this step starts. */
  public final int startPercent;

  Step(int startPercent) {
    this.startPercent = startPercent;
  }
}
