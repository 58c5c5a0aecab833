package io.videopipe.clip;

import java.util.List;

/**
 * A rendered highlight clip, with what the renderer measured on its own output.
 *
 * @param rank the highlight's rank (1 is the best); also the clip's number in {@code /clips/{n}}
 * @param clipUri the MP4 in storage
 * @param srtUri captions timed to the clip, SRT
 * @param vttUri captions timed to the clip, WebVTT
 * @param startSec where the clip starts in the source
 * @param endSec where the clip ends in the source
 * @param durationSec the rendered clip's duration
 * @param hasVideo false for an audio-only source (the clip then has only the AAC track)
 * @param integratedLufs measured integrated loudness of the rendered clip
 * @param truePeakDbtp measured true peak of the rendered clip
 * @param attempt which render this is (1, or 2 after a failed QA check)
 * @param computeSec seconds the render took
 * @param sizeBytes the MP4's size
 * @param framing how the picture was framed: {@value #FRAMING_SOURCE} (the source's frame), {@value #FRAMING_FACE}
 *     (a crop following a face) or {@value #FRAMING_CENTRE} (a centre crop: no face was seen); null for audio-only
 * @param captionsBurned whether the captions are drawn into the picture
 * @param formats every frame rendered of this highlight when the job asked for several ({@code clips.aspects}), the
 *     primary first (its file is {@code clipUri}, and the fields above describe it); null for one frame
 */
public record RenderedClip(
    int rank,
    String clipUri,
    String srtUri,
    String vttUri,
    double startSec,
    double endSec,
    double durationSec,
    boolean hasVideo,
    double integratedLufs,
    double truePeakDbtp,
    int attempt,
    double computeSec,
    long sizeBytes,
    String framing,
    boolean captionsBurned,
    List<ClipFormat> formats) {

  public static final String FRAMING_SOURCE = "source";
  public static final String FRAMING_FACE = "face";
  public static final String FRAMING_CENTRE = "centre";

  /** A clip of the first releases' shape: the source's frame, no captions in the picture. */
  public RenderedClip(int rank, String clipUri, String srtUri, String vttUri, double startSec, double endSec,
      double durationSec, boolean hasVideo, double integratedLufs, double truePeakDbtp, int attempt, double computeSec,
      long sizeBytes) {
    this(rank, clipUri, srtUri, vttUri, startSec, endSec, durationSec, hasVideo, integratedLufs, truePeakDbtp, attempt,
        computeSec, sizeBytes, hasVideo ? FRAMING_SOURCE : null, false, null);
  }

  /** Bytes of all this clip's MP4s (every frame of {@link #formats}, else the one clip). */
  public long storedBytes() {
    return formats == null || formats.isEmpty() ? sizeBytes : formats.stream().mapToLong(ClipFormat::sizeBytes).sum();
  }
}
