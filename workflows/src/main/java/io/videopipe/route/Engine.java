package io.videopipe.route;

import java.util.Locale;

/** A transcription engine and where it runs. */
public enum Engine {
  /** Vosk, offline on the CPU queue: the embedded default, needs no account and no GPU. */
  LOCAL(false),
  /** Parakeet-TDT through ONNX Runtime on the GPU queue. */
  PARAKEET(true),
  /** Deepgram's hosted API, called from the CPU queue. */
  DEEPGRAM(false);

  public final boolean gpu;

  Engine(boolean gpu) {
    this.gpu = gpu;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
