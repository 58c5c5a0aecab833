package io.videopipe.events;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A key already holds {@link EventsProperties#maxStreamsPerKey()} open streams: 429. */
public class TooManyStreamsException extends ErrorResponseException {
  public TooManyStreamsException(String keyName, int limit) {
    super(HttpStatus.TOO_MANY_REQUESTS, problem(keyName, limit), null);
    getHeaders().set("Retry-After", "5");
  }

  private static ProblemDetail problem(String keyName, int limit) {
    ProblemDetail p =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.TOO_MANY_REQUESTS,
            "key '" + keyName + "' already holds " + limit + " open event streams (videopipe.events.max-streams-per-key);"
                + " close one first");
    p.setTitle("Too many event streams");
    p.setType(URI.create("about:blank"));
    return p;
  }
}
