package io.videopipe.clip;

/**
 * One frame of a rendered highlight ({@code clips.aspects}): all of a highlight's frames come from one decode and carry
 * the same levelled audio.
 *
 * @param aspect {@code "source"}, {@code "9:16"} or {@code "1:1"}
 * @param fileName its name under the job's {@code clips/}: {@code clip-NN.mp4} for the primary (first) frame, {@code
 *     clip-NN-9x16.mp4} and the like for the others
 * @param clipUri the MP4 in storage
 * @param width the picture's width (0 for an audio-only source)
 * @param height the picture's height (0 for an audio-only source)
 * @param integratedLufs measured integrated loudness of this file
 * @param truePeakDbtp measured true peak of this file
 * @param sizeBytes the MP4's size
 * @param framing as {@link RenderedClip#framing()}, for this frame
 * @param faceRule with {@link RenderedClip#FRAMING_FACE}, which rule chose the face followed: {@code "speaker"} (the
 *     face whose mouth moved while words were heard) or {@code "largest"} (the largest central face); null otherwise
 * @param videoDecodes how often the segment's pictures were decoded for the render all the highlight's frames came
 *     from (1, or 2 with face tracking: shared by every frame, not one per frame)
 */
public record ClipFormat(
    String aspect,
    String fileName,
    String clipUri,
    int width,
    int height,
    double integratedLufs,
    double truePeakDbtp,
    long sizeBytes,
    String framing,
    String faceRule,
    int videoDecodes) {}
