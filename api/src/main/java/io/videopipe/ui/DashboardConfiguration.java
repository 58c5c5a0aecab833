package io.videopipe.ui;

import jakarta.servlet.SessionTrackingMode;
import java.util.Set;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.server.CookieSameSiteSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;

/** The dashboard's session filter, ahead of the API key filter (which runs at HIGHEST_PRECEDENCE + 20). */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "api"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(UiProperties.class)
public class DashboardConfiguration {
  static final String SESSION_COOKIE = "JSESSIONID";

  @Bean
  FilterRegistrationBean<DashboardSession> dashboardSession() {
    FilterRegistrationBean<DashboardSession> reg = new FilterRegistrationBean<>(new DashboardSession());
    reg.addUrlPatterns("/ui", "/ui/*", "/api/*");
    reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
    return reg;
  }

  /** Sessions travel in the cookie only, never in rewritten URLs (which would leak them into logs and links). */
  @Bean
  ServletContextInitializer cookieOnlySessions() {
    return servletContext -> servletContext.setSessionTrackingModes(Set.of(SessionTrackingMode.COOKIE));
  }

  /** The session cookie is HttpOnly (Tomcat's default) and SameSite=Lax: never sent with another site's requests. */
  @Bean
  CookieSameSiteSupplier sessionCookieSameSite() {
    return CookieSameSiteSupplier.ofLax().whenHasName(SESSION_COOKIE);
  }
}
