package io.videopipe.temporal;

import com.uber.m3.tally.NoopScope;
import com.uber.m3.tally.Scope;
import io.temporal.client.WorkflowClient;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.rpcretry.DefaultStubServiceOperationRpcRetryOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.videopipe.codec.CodecProperties;
import io.videopipe.codec.EncryptionCodec;
import io.videopipe.config.VideoPipeProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * How each role reaches Temporal: in the local role the in-memory server in-process, or a Temporal CLI server ({@link
 * LocalTemporalConfiguration}); {@code videopipe.temporal.address} otherwise.
 */
@Configuration(proxyBeanMethods = false)
public class TemporalConfiguration {

  /** Payloads through AES-GCM when {@code VIDEOPIPE_CODEC_KEY} is set; the client's workers inherit it. */
  @Bean
  DataConverter dataConverter(CodecProperties codec) {
    return EncryptionCodec.dataConverter(codec);
  }

  @Bean(destroyMethod = "close")
  @Profile("local")
  @Conditional(LocalServerChoice.Embedded.class)
  EmbeddedTemporal embeddedTemporal(DataConverter dataConverter, ObjectProvider<Scope> metrics) {
    return new EmbeddedTemporal(dataConverter, metrics.getIfAvailable(NoopScope::new));
  }

  @Bean
  @Profile("local")
  @Conditional(LocalServerChoice.Embedded.class)
  WorkflowClient embeddedWorkflowClient(EmbeddedTemporal temporal) {
    return temporal.client();
  }

  /**
   * How long the api role's client retries a call the server does not answer (the SDK's default is a minute). A REST
   * caller waits on it: after this the API answers 503 with Retry-After (ApiErrors) instead of holding the request
   * longer than many load balancers wait (measured: a submit to a killed server answered after 65 s with the default).
   */
  static final Duration API_RPC_RETRY = Duration.ofSeconds(10);

  @Bean(destroyMethod = "shutdown")
  @Profile({"api", "cpu-worker", "gpu-worker"})
  WorkflowServiceStubs workflowServiceStubs(
      VideoPipeProperties props, ObjectProvider<Scope> metrics, org.springframework.core.env.Environment env) {
    WorkflowServiceStubsOptions options = serviceStubsOptions(props.temporal());
    Scope scope = metrics.getIfAvailable();
    if (scope != null) {
      options = WorkflowServiceStubsOptions.newBuilder(options).setMetricsScope(scope).build();
    }
    if (env.acceptsProfiles(org.springframework.core.env.Profiles.of("api"))) {
      // Workers keep the default: a worker reporting a finished activity should outwait a server restart.
      options = WorkflowServiceStubsOptions.newBuilder(options)
          .setRpcRetryOptions(RpcRetryOptions.newBuilder(DefaultStubServiceOperationRpcRetryOptions.INSTANCE)
              .setExpiration(API_RPC_RETRY).build())
          .build();
    }
    return WorkflowServiceStubs.newServiceStubs(options);
  }

  /** Plain gRPC for a local server; TLS, mutual TLS or an API key for Temporal Cloud and TLS frontends. */
  static WorkflowServiceStubsOptions serviceStubsOptions(VideoPipeProperties.Temporal t) {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(t.address());
    boolean mutualTls = !t.tlsCertFile().isBlank() || !t.tlsKeyFile().isBlank();
    if (mutualTls) {
      if (t.tlsCertFile().isBlank() || t.tlsKeyFile().isBlank()) {
        throw new IllegalStateException(
            "mutual TLS to Temporal needs both videopipe.temporal.tls-cert-file and tls-key-file");
      }
      try (InputStream cert = Files.newInputStream(Path.of(t.tlsCertFile()));
          InputStream key = Files.newInputStream(Path.of(t.tlsKeyFile()))) {
        options.setSslContext(SimpleSslContextBuilder.forPKCS8(cert, key).build());
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the Temporal client certificate or key: " + e.getMessage(), e);
      }
    } else if (t.tls() || !t.apiKey().isBlank()) {
      options.setEnableHttps(true);
    }
    if (!t.apiKey().isBlank()) {
      String key = t.apiKey();
      options.addApiKey(() -> key);
    }
    return options.build();
  }

  @Bean
  @Profile({"api", "cpu-worker", "gpu-worker"})
  WorkflowClient workflowClient(WorkflowServiceStubs stubs, VideoPipeProperties props, DataConverter dataConverter) {
    return WorkflowClient.newInstance(
        stubs,
        WorkflowClientOptions.newBuilder()
            .setNamespace(props.temporal().namespace())
            .setDataConverter(dataConverter)
            .build());
  }

  @Bean(destroyMethod = "shutdown")
  @Profile({"local", "cpu-worker", "gpu-worker"})
  WorkerFactory workerFactory(WorkflowClient client, ObjectProvider<WorkerInterceptor> interceptors) {
    return WorkerFactory.newInstance(
        client,
        WorkerFactoryOptions.newBuilder()
            .setWorkerInterceptors(interceptors.orderedStream().toArray(WorkerInterceptor[]::new))
            .build());
  }
}
