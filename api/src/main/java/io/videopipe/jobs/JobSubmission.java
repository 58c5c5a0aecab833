package io.videopipe.jobs;

import io.videopipe.clip.ClipOptions;
import io.videopipe.highlight.HighlightOptions;

/**
 * Body of {@code POST /api/v1/jobs}.
 *
 * @param sourceUrl https:// or gs:// URL of the video (local paths only where the role allows them)
 * @param jobId optional client-chosen id; a second submission with the same id is refused (409)
 * @param engine auto (default), local, parakeet, deepgram or hybrid (parakeet, its low-confidence stretches redone by
 *     deepgram)
 * @param priority 1 (highest) to 5, default 3
 * @param highlights optional bounds: maxCount, minSec, maxSec
 * @param keepSource keep our copy of the source after the job
 * @param budgetUsd optional: the most the job may spend on transcription, in US dollars, &gt; 0; the route policy
 *     leaves out engines estimated above it
 * @param clips optional clip rendering: targetLufs (default -14), maxTruePeakDbtp (default -1), aspect ("source",
 *     "9:16" or "1:1": the cropped frames follow a face; vertical = "9:16"), burnCaptions (word-timed captions drawn
 *     into the picture), highlightWord (the spoken word in colour); see docs/clips.md
 * @param webhookUrl optional https URL that receives the result summary when the job ends, signed (HMAC-SHA256)
 * @param audioTrack optional audio track of the source to transcribe: a stream index ("2", as in the result's
 *     {@code source.media.audio[].index}) or a language ("en" or "eng"); default: the default-disposition track, else
 *     the first that carries sound
 */
public record JobSubmission(
    String sourceUrl,
    String jobId,
    String engine,
    Integer priority,
    String language,
    HighlightOptions highlights,
    Boolean keepSource,
    Double budgetUsd,
    ClipOptions clips,
    String webhookUrl,
    String audioTrack) {

  /** A submission of {@code sourceUrl}; every other field is optional (null: the default). */
  public static Builder builder(String sourceUrl) {
    return new Builder(sourceUrl);
  }

  /** Builds a submission field by field, the way the CLI, the Web UI and tests make one. */
  public static final class Builder {
    private final String sourceUrl;
    private String jobId;
    private String engine;
    private Integer priority;
    private String language;
    private HighlightOptions highlights;
    private Boolean keepSource;
    private Double budgetUsd;
    private ClipOptions clips;
    private String webhookUrl;
    private String audioTrack;

    private Builder(String sourceUrl) {
      this.sourceUrl = sourceUrl;
    }

    public Builder jobId(String v) {
      this.jobId = v;
      return this;
    }

    public Builder engine(String v) {
      this.engine = v;
      return this;
    }

    public Builder priority(Integer v) {
      this.priority = v;
      return this;
    }

    public Builder language(String v) {
      this.language = v;
      return this;
    }

    public Builder highlights(HighlightOptions v) {
      this.highlights = v;
      return this;
    }

    public Builder keepSource(Boolean v) {
      this.keepSource = v;
      return this;
    }

    public Builder budgetUsd(Double v) {
      this.budgetUsd = v;
      return this;
    }

    public Builder clips(ClipOptions v) {
      this.clips = v;
      return this;
    }

    public Builder webhookUrl(String v) {
      this.webhookUrl = v;
      return this;
    }

    public Builder audioTrack(String v) {
      this.audioTrack = v;
      return this;
    }

    public JobSubmission build() {
      return new JobSubmission(
          sourceUrl, jobId, engine, priority, language, highlights, keepSource, budgetUsd, clips, webhookUrl, audioTrack);
    }
  }
}
