package io.videopipe.ui;

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

  /** The session cookie is HttpOnly (Tomcat's default) and SameSite=Lax: never sent with another site's requests. */
  @Bean
  CookieSameSiteSupplier sessionCookieSameSite() {
    return CookieSameSiteSupplier.ofLax().whenHasName(SESSION_COOKIE);
  }
}
