package io.videopipe.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The browser the page tests rely on starts, renders a local page, runs its script and takes a screenshot. */
class HeadlessChromiumTest {
  @Test
  void rendersALocalPageAndRunsItsScript() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] page = ("<!doctype html><title>probe</title><p id=p>before</p>"
        + "<script>document.getElementById('p').textContent = 'after ' + (6 * 7)</script>").getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    server.start();
    try (HeadlessChromium browser = HeadlessChromium.phone()) {
      browser.driver().get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      browser.waiting(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("p")).getText().startsWith("after"));
      assertThat(browser.driver().findElement(By.id("p")).getText()).isEqualTo("after 42");
      assertThat(browser.driver().executeScript("return window.innerWidth")).isEqualTo(390L);
      assertThat(Files.size(browser.screenshot("headless-chromium-probe"))).isGreaterThan(1000);
    } finally {
      server.stop(0);
    }
  }
}
