package io.videopipe.security;

/** A key name that is taken, or a configured key that cannot be revoked over the API: 409. */
public class KeyConflictException extends RuntimeException {
  public KeyConflictException(String message) {
    super(message);
  }
}
