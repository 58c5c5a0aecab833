package io.videopipe.clip;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface ClipActivities {

  /**
   * Cuts one highlight out of the source frame-accurately and renders it as MP4 (H.264 High 4.0, yuv420p, BT.709 SDR;
   * AAC 48 kHz stereo; faststart), loudness-levelled to the target with the true peak under the bound on the encoded
   * audio, in the asked frame (the source's, or 9:16 / 1:1 following a face), with captions burned in when asked, plus
   * SRT and VTT captions timed to the clip. Writes {@code jobs/<jobId>/clips/clip-<rank>.mp4|.srt|.vtt}, replacing an
   * earlier render of the same rank only once the new one is complete. With several {@code clips.aspects} every frame
   * comes from the same decode and levelled audio, one more MP4 each ({@code clip-<rank>-9x16.mp4} and the like), listed
   * in {@link RenderedClip#formats()}. Heartbeats while it encodes.
   */
  @ActivityMethod(name = "RenderClip")
  RenderedClip render(ClipRequest request);
}
