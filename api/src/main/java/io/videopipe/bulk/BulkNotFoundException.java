package io.videopipe.bulk;

/** No bulk reprocessing run with this id. */
public class BulkNotFoundException extends RuntimeException {
  public BulkNotFoundException(String id) {
    super("no bulk reprocessing run with id " + id);
  }
}
