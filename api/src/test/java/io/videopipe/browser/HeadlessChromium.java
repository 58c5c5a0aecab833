package io.videopipe.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, for the tests of pages (our dashboard, the Temporal Web
 * UI). Started with the flags this closed network needs (no background networking, no component updates) and a fresh
 * profile. Without chromium or chromedriver the calling test is skipped, except under {@code CI=true}, where
 * {@code .ci/run} installs both and their absence is a failure.
 */
public final class HeadlessChromium implements AutoCloseable {
  public static final Path CHROMIUM = Path.of(env("VIDEOPIPE_CHROMIUM", "/usr/bin/chromium"));
  public static final Path CHROMEDRIVER = Path.of(env("VIDEOPIPE_CHROMEDRIVER", "/usr/bin/chromedriver"));
  /** Where screenshots go: the module's target/screenshots (Maven runs tests in the module directory). */
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(int width, int height) throws IOException {
    profile = Files.createTempDirectory("videopipe-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--autoplay-policy=no-user-gesture-required",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(width, height));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
  }

  /** A desktop-sized browser (1366 x 900); skips the test when Chromium is not installed (fails under CI). */
  public static HeadlessChromium desktop() throws IOException {
    return open(1366, 900);
  }

  /** A phone-sized browser (390 x 844, an iPhone 12-14 viewport). */
  public static HeadlessChromium phone() throws IOException {
    return open(390, 844);
  }

  public static HeadlessChromium open(int width, int height) throws IOException {
    requireInstalled();
    return new HeadlessChromium(width, height);
  }

  /** Skips the calling test when chromium or chromedriver is missing; fails instead under {@code CI=true}. */
  public static void requireInstalled() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(
          "CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: .ci/run installs chromium and chromium-driver");
    }
    assumeTrue(present, "headless Chromium not installed: apt-get install chromium chromium-driver");
  }

  public ChromeDriver driver() {
    return driver;
  }

  public WebDriverWait waiting(Duration timeout) {
    return new WebDriverWait(driver, timeout);
  }

  /** Saves a PNG of the viewport as {@code target/screenshots/<name>.png} and returns its path. */
  public Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path target = SCREENSHOTS.resolve(name + ".png");
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
