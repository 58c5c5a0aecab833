package io.videopipe.temporal;

import com.uber.m3.tally.NoopScope;
import com.uber.m3.tally.Scope;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.videopipe.config.VideoPipeProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * The local role on a real Temporal server when the Temporal CLI is installed ({@link LocalServerChoice}); the
 * in-memory server's beans are in {@link TemporalConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class LocalTemporalConfiguration {

  @Bean(destroyMethod = "close")
  @Profile("local")
  @Conditional(LocalServerChoice.Real.class)
  LocalTemporalServer localTemporalServer(
      Environment env, LocalTemporalProperties local, VideoPipeProperties props, DataConverter dataConverter,
      ObjectProvider<Scope> metrics) {
    LocalServerChoice choice = LocalServerChoice.of(env);
    Scope scope = metrics.getIfAvailable(NoopScope::new);
    String namespace = props.temporal().namespace();
    return choice.kind() == LocalServerChoice.Kind.ATTACH
        ? LocalTemporalServer.attach(choice.address(), local, namespace, dataConverter, scope)
        : LocalTemporalServer.start(choice.cli(), local, props.storage().root(), namespace, dataConverter, scope);
  }

  @Bean
  @Profile("local")
  @Conditional(LocalServerChoice.Real.class)
  WorkflowClient localWorkflowClient(LocalTemporalServer server) {
    return server.client();
  }

  /** The local server's UI, or {@code videopipe.temporal.ui-url} (the api role behind a deployed UI). */
  @Bean
  TemporalUi temporalUi(
      ObjectProvider<LocalTemporalServer> local, VideoPipeProperties props) {
    LocalTemporalServer server = local.getIfAvailable();
    return new TemporalUi(server != null ? server.uiUrl() : props.temporal().uiUrl(), props.temporal().namespace());
  }
}
