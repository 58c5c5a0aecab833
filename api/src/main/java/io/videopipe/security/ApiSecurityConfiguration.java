package io.videopipe.security;

import io.videopipe.storage.Storage;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * API keys, scopes, rate limits and body limits in front of every HTTP endpoint of the roles that serve the API, and of
 * the worker roles' actuator ports (only their health probes are open; metrics need a key with the read scope). The
 * {@code process} command runs without a web server, so none of this applies to it.
 */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "api", "cpu-worker", "gpu-worker"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(SecurityProperties.class)
public class ApiSecurityConfiguration {
  private static final Logger log = LoggerFactory.getLogger(ApiSecurityConfiguration.class);

  @Bean
  ApiKeys apiKeys(SecurityProperties props, Environment env) {
    ApiKeys keys = ApiKeys.from(props);
    if (!keys.isEmpty()) {
      return keys;
    }
    if (env.acceptsProfiles(Profiles.of("local"))) {
      // A laptop run needs a key to be usable; it exists only in this process and is shown only here, once.
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String secret = "vp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      System.err.println(
          "videopipe: no API key configured; admin key for this run (shown once, not stored): " + secret);
      return keys.with(ApiKeys.admin("local-admin", secret));
    }
    log.warn("no API keys configured (videopipe.security.keys, VIDEOPIPE_BOOTSTRAP_KEY): every request but health"
        + " probes is refused, unless a key created over the API is found in storage (keys/)");
    return keys;
  }

  /** The configured keys and those created over the API (stored hashed under {@code keys/} in storage). */
  @Bean
  KeyStore keyStore(ApiKeys keys, Storage storage, SecurityProperties props) {
    return new KeyStore(keys, storage, props.keyCacheTtl(), Clock.systemUTC());
  }

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(KeyStore keys, SecurityProperties props) {
    RateLimiter limiter = new RateLimiter(props.rateLimit(), System::nanoTime);
    FilterRegistrationBean<ApiKeyFilter> reg =
        new FilterRegistrationBean<>(
            new ApiKeyFilter(keys, limiter, props.maxBodySize().toBytes(), props.maxCodecBodySize().toBytes(),
                Clock.systemUTC()));
    reg.addUrlPatterns("/*");
    reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
    return reg;
  }

  /** Before the key check: a browser's CORS preflight carries no key, and refusals need CORS headers to be read. */
  @Bean
  FilterRegistrationBean<CorsFilter> codecCorsFilter(SecurityProperties props) {
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOrigins(props.codecCorsOrigins());
    cors.setAllowedMethods(List.of("POST", "OPTIONS"));
    cors.setAllowedHeaders(List.of("Content-Type", "Authorization", "X-API-Key", "X-Namespace"));
    cors.setAllowCredentials(true);
    cors.setMaxAge(3600L);
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/codec/**", cors);
    FilterRegistrationBean<CorsFilter> reg = new FilterRegistrationBean<>(new CorsFilter(source));
    reg.addUrlPatterns("/codec/*");
    reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return reg;
  }
}
