package io.videopipe.testing;

import org.springframework.boot.test.web.client.TestRestTemplate;

/** End-to-end tests talk to the API as a client with a key does. */
public final class ApiKeys {
  private ApiKeys() {}

  /** Sends {@code key} as X-API-Key on every request that does not set its own (tests of missing keys do). */
  public static void sendWith(TestRestTemplate http, String key) {
    if (http.getRestTemplate().getInterceptors().isEmpty()) {
      http.getRestTemplate()
          .getInterceptors()
          .add((request, body, execution) -> {
            if (!request.getHeaders().containsKey("X-API-Key")) {
              request.getHeaders().set("X-API-Key", key);
            }
            return execution.execute(request, body);
          });
    }
  }
}
