package io.videopipe.download;

/**
 * Where a resumed attempt may continue: the first {@code offset} bytes are already staged, taken from the version of
 * the source that {@code validator} identifies (null if unknown) and whose full size was {@code totalSize} (-1 if
 * unknown). {@link #NONE} starts from scratch.
 */
record Checkpoint(long offset, String validator, long totalSize) {
  static final Checkpoint NONE = new Checkpoint(0, null, -1);
}
