package io.videopipe.qa;

import io.videopipe.clip.ClipOptions;
import io.videopipe.clip.RenderedClip;
import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightOptions;
import java.util.List;

/**
 * @param expectedAudioSec how long the extracted audio should be ({@link io.videopipe.audio.MediaInfo#expectedAudioSec()})
 * @param clips the rendered clips to prove (empty when no highlight was found)
 * @param clipOptions the loudness target and true-peak bound the clips are held to
 */
public record QaRequest(
    String jobId,
    String audioUri,
    String transcriptUri,
    double expectedAudioSec,
    List<Highlight> highlights,
    HighlightOptions options,
    List<RenderedClip> clips,
    ClipOptions clipOptions) {}
