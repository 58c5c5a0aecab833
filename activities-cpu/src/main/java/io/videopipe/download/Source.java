package io.videopipe.download;

import java.io.IOException;

/** One kind of place a source can be fetched from. */
interface Source {

  /** The source URI without credentials (no user info, no query), for messages and results. */
  String displayUri();

  /** The name the stored copy gets, already safe as an object name. */
  String fileName();

  /**
   * Opens the source, continuing at {@code checkpoint.offset()} when the source can prove it is the same version, else
   * from the start. Throws an {@link io.temporal.failure.ApplicationFailure} for failures it can classify.
   */
  SourceStream open(Checkpoint checkpoint) throws IOException;
}
