package io.videopipe.security;

/** No key of that name was created over the API: 404. */
public class KeyNotFoundException extends RuntimeException {
  public KeyNotFoundException(String message) {
    super(message);
  }
}
