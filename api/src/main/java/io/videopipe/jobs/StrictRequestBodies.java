package io.videopipe.jobs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.videopipe.bulk.ReprocessSpec;
import io.videopipe.bulk.ScheduleRequest;
import io.videopipe.clip.ClipOptions;
import io.videopipe.highlight.HighlightOptions;
import io.videopipe.security.KeyStore;
import java.io.IOException;
import java.util.Set;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.springframework.stereotype.Component;

/**
 * Request bodies refuse fields they do not know ({@code "enigne": "local"} is a 400 naming the field, not a job on
 * the default engine). Only the API's own request types: other JSON this application reads (the Temporal Web UI's
 * codec calls, hosted engines' answers) stays lenient, so a newer sender's extra field never breaks it.
 */
@Component
public class StrictRequestBodies extends SimpleModule {
  static final Set<Class<?>> STRICT =
      Set.of(
          JobSubmission.class,
          HighlightOptions.class,
          ClipOptions.class,
          JobController.PriorityChange.class,
          ReprocessSpec.class,
          ScheduleRequest.class,
          KeyStore.KeyRequest.class);

  public StrictRequestBodies() {
    super("videopipe-strict-request-bodies");
  }

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    context.addDeserializationProblemHandler(new UnknownFieldRefusal());
  }

  static final class UnknownFieldRefusal extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer, Object beanOrClass, String name)
        throws IOException {
      Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
      if (!STRICT.contains(type)) {
        return false;
      }
      throw UnrecognizedPropertyException.from(p, beanOrClass, name, deserializer.getKnownPropertyNames());
    }
  }
}
