package io.videopipe.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.net.AddressGuard;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.storage.LocalStorage;
import io.videopipe.storage.Storage;
import io.videopipe.testing.ActivityTestEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Server-side request forgery: internal hosts, redirects to them, and local files outside the roots are refused. */
class SourceGuardTest {
  private static final String JOB = "job-ssrf";

  @TempDir Path tmp;
  @RegisterExtension final ActivityTestEnvironment testEnv = ActivityTestEnvironment.newBuilder().build();
  private Path staging;
  private Path root;
  private Storage storage;
  private MockWebServer server;

  @BeforeEach
  void setUp() throws IOException {
    staging = tmp.resolve("work");
    root = Files.createDirectories(tmp.resolve("videos"));
    storage = new LocalStorage(tmp.resolve("data"));
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void tearDown() throws IOException {
    server.shutdown();
  }

  /** Deployed defaults plus plain http (MockWebServer speaks no TLS); nothing internal allowed. */
  private DownloadSettings settings() {
    return DownloadSettings.deployed()
        .withStagingDir(staging)
        .withAllowPlainHttp(true)
        .withReadTimeout(Duration.ofSeconds(5))
        .withConnectTimeout(Duration.ofSeconds(2));
  }

  private DownloadActivities activity(DownloadSettings settings, AddressGuard.Resolver resolver) {
    com.google.cloud.storage.Storage gcs = LocalStorageHelper.getOptions().getService();
    return testEnv
        .register(DownloadActivitiesImpl.newBuilder(storage, settings).setGcsClient(gcs).setResolver(resolver).build())
        .stub(DownloadActivities.class);
  }

  private DownloadActivities activity(DownloadSettings settings) {
    return activity(settings, resolver(Map.of()));
  }

  /** A resolver that knows the given names and otherwise asks the system (for "localhost"). */
  private static AddressGuard.Resolver resolver(Map<String, String> names) {
    return host -> {
      String a = names.get(host);
      if (a != null) {
        return new InetAddress[] {InetAddress.getByName(a)};
      }
      if (host.endsWith(".test")) {
        throw new UnknownHostException(host);
      }
      return InetAddress.getAllByName(host);
    };
  }

  private static ApplicationFailure failure(Runnable call) {
    Throwable t = catchThrowable(call::run);
    assertThat(t).as("the activity should have failed").isNotNull();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ApplicationFailure f) {
        return f;
      }
    }
    throw new AssertionError("no ApplicationFailure in " + t, t);
  }

  private static void assertRefused(ApplicationFailure f, String... mentions) {
    assertThat(f.getType()).as(f.getOriginalMessage()).isEqualTo(ErrorTypes.SOURCE_NOT_ALLOWED);
    assertThat(f.isNonRetryable()).isTrue();
    for (String m : mentions) {
      assertThat(f.getOriginalMessage()).contains(m);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/v.mp4",
        "https://127.0.0.1:8443/v.mp4",
        "http://10.0.0.1/v.mp4",
        "http://172.16.0.1/v.mp4",
        "http://192.168.1.1/v.mp4",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::1]/v.mp4",
        "http://[fe80::1]/v.mp4",
        "http://[fc00::1]/v.mp4",
        "http://[::ffff:127.0.0.1]/v.mp4",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
        "http://0.0.0.0/v.mp4",
        "http://2130706433/v.mp4",
        "http://0177.0.0.1/v.mp4",
        "http://0x7f.1/v.mp4",
        "http://0x7f000001/v.mp4",
        "http://localhost/v.mp4",
        "http://metadata.google.internal/computeMetadata/v1/",
        "https://METADATA.google.internal./computeMetadata/v1/",
      })
  void internalHostsAreRefusedBeforeAnyRequest(String uri) {
    ApplicationFailure f = failure(() -> activity(settings()).download(new DownloadRequest(JOB, uri)));

    assertRefused(f, "refused", DownloadActivitiesImpl.ALLOWED_HOSTS_SETTING);
  }

  @Test
  void aHostNameThatResolvesToAPrivateAddressIsRefused() {
    DownloadActivities activity =
        activity(settings(), resolver(Map.of("internal.test", "10.0.0.5")));

    ApplicationFailure f =
        failure(() -> activity.download(new DownloadRequest(JOB, "https://internal.test/v.mp4?sig=secret")));

    assertRefused(f, "'internal.test' resolves to 10.0.0.5, a private address", "videopipe.download.allowed-hosts");
    assertThat(f.getOriginalMessage()).doesNotContain("secret");
  }

  @Test
  void theConnectionUsesTheAddressTheGuardChecked() throws Exception {
    // "video.test" exists only in the guard's resolver: the download can reach the server only through it.
    server.enqueue(new MockResponse().setBody("0123456789"));
    String address = InetAddress.getByName(server.getHostName()).getHostAddress();
    DownloadActivities activity =
        activity(settings().withAllowedHosts(List.of(address)), resolver(Map.of("video.test", address)));

    StoredSource stored =
        activity.download(new DownloadRequest(JOB, "http://video.test:" + server.getPort() + "/v.mp4"));

    assertThat(stored.sizeBytes()).isEqualTo(10);
    assertThat(server.takeRequest().getHeader("Host")).isEqualTo("video.test:" + server.getPort());
  }

  @Test
  void explicitlyAllowedLoopbackIsFetched() throws Exception {
    server.enqueue(new MockResponse().setBody("0123456789"));
    DownloadActivities activity = activity(settings().withAllowedHosts(List.of(server.getHostName())));

    StoredSource stored = activity.download(new DownloadRequest(JOB, server.url("/v.mp4").toString()));

    assertThat(stored.sizeBytes()).isEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:%d/private.mp4",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]:%d/private.mp4",
        "http://2130706433:%d/private.mp4",
        "http://internal.test/v.mp4",
      })
  void redirectsToInternalAddressesAreRefused(String target) throws Exception {
    String location = target.formatted(server.getPort());
    server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", location));
    // Only the server's name is allowed, not its address: a redirect to the address is a way around the name.
    DownloadActivities activity =
        activity(
            settings().withAllowedHosts(List.of(server.getHostName())),
            resolver(Map.of("internal.test", "192.168.7.7")));

    ApplicationFailure f = failure(() -> activity.download(new DownloadRequest(JOB, server.url("/v.mp4").toString())));

    assertRefused(f, "redirect", "refused", DownloadActivitiesImpl.ALLOWED_HOSTS_SETTING);
    assertThat(server.getRequestCount()).as("nothing fetched after the redirect").isEqualTo(1);
  }

  @Test
  void redirectsToPublicHostsAreStillFollowed() throws Exception {
    MockWebServer other = new MockWebServer();
    other.enqueue(new MockResponse().setBody("abcdef"));
    other.start();
    try {
      String location = "http://cdn.test:" + other.getPort() + "/x.mp4";
      server.enqueue(new MockResponse().setResponseCode(301).setHeader("Location", location));
      String address = InetAddress.getByName(other.getHostName()).getHostAddress();
      DownloadActivities activity =
          activity(
              settings().withAllowedHosts(List.of(server.getHostName(), "cdn.test")),
              resolver(Map.of("cdn.test", address)));

      StoredSource stored = activity.download(new DownloadRequest(JOB, server.url("/v.mp4").toString()));

      assertThat(stored.sizeBytes()).isEqualTo(6);
      assertThat(other.takeRequest().getPath()).isEqualTo("/x.mp4");
    } finally {
      other.shutdown();
    }
  }

  @Test
  void redirectsToOtherSchemesAndEndlessRedirectsAreNotFollowed() {
    DownloadActivities activity = activity(settings().withAllowedHosts(List.of(server.getHostName())));
    server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "file:///etc/passwd"));
    for (int i = 0; i < 11; i++) {
      server.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", "/again-" + i));
    }

    String a = server.url("/a.mp4").toString();
    String b = server.url("/b.mp4").toString();
    ApplicationFailure file = failure(() -> activity.download(new DownloadRequest(JOB, a)));
    ApplicationFailure loop = failure(() -> activity.download(new DownloadRequest(JOB, b)));

    assertThat(file.isNonRetryable()).isTrue();
    assertThat(file.getOriginalMessage()).contains("file:///etc/passwd").contains("cannot be followed");
    assertThat(loop.isNonRetryable()).isTrue();
    assertThat(loop.getOriginalMessage()).contains("redirected more than 10 times");
    assertThat(server.getRequestCount()).isEqualTo(12);
  }

  @Test
  void localFilesUnderARootAreRead() throws Exception {
    Path file = Files.write(root.resolve("talk.mp4"), new byte[] {1, 2, 3});
    DownloadActivities activity = activity(settings().withAllowLocalFiles(true).withLocalRoots(List.of(root)));

    assertThat(activity.download(new DownloadRequest(JOB, file.toString())).sizeBytes()).isEqualTo(3);
    assertThat(activity.download(new DownloadRequest("job-2", file.toUri().toString())).sizeBytes()).isEqualTo(3);
    Path viaDots = root.resolve("sub").resolve("..").resolve("talk.mp4");
    Files.createDirectories(root.resolve("sub"));
    assertThat(activity.download(new DownloadRequest("job-3", viaDots.toString())).sizeBytes()).isEqualTo(3);
  }

  @Test
  void localPathsEscapingTheRootsAreRefused() throws Exception {
    Path outside = Files.write(tmp.resolve("secret.mp4"), new byte[] {9, 9, 9});
    Path outsideDir = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.write(outsideDir.resolve("other.mp4"), new byte[] {8});
    Files.createSymbolicLink(root.resolve("link.mp4"), outside);
    Files.createSymbolicLink(root.resolve("linkdir"), outsideDir);
    DownloadActivities activity = activity(settings().withAllowLocalFiles(true).withLocalRoots(List.of(root)));

    List<String> tricks =
        List.of(
            outside.toString(),
            root + "/../secret.mp4",
            root + "/./sub/../../secret.mp4",
            root.resolve("link.mp4").toString(),
            root.resolve("linkdir").resolve("other.mp4").toString(),
            root.resolve("linkdir").resolve("..").resolve("secret.mp4").toString(),
            root.toUri() + "../secret.mp4",
            root.resolve("link.mp4").toUri().toString(),
            "file://" + root + "/%2e%2e/secret.mp4",
            "/etc/passwd",
            "file:///etc/passwd");
    for (String trick : tricks) {
      ApplicationFailure f = failure(() -> activity.download(new DownloadRequest(JOB, trick)));
      assertRefused(f, "outside the allowed roots", LocalRoots.SETTING);
    }
    try (Stream<Path> staged = Files.exists(staging) ? Files.walk(staging) : Stream.empty()) {
      assertThat(staged.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void fileUrisWithAHostAreNotLocal() {
    DownloadActivities activity = activity(settings().withAllowLocalFiles(true).withLocalRoots(List.of(root)));

    ApplicationFailure f = failure(() -> activity.download(new DownloadRequest(JOB, "file://evil.example/etc/passwd")));

    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getType()).isIn(ErrorTypes.INVALID_REQUEST, ErrorTypes.SOURCE_NOT_ALLOWED);
  }

  @Test
  void withoutRootsNoLocalFileIsAccepted() throws Exception {
    Path file = Files.write(root.resolve("talk.mp4"), new byte[] {1});
    DownloadActivities activity = activity(settings().withAllowLocalFiles(true));

    ApplicationFailure f = failure(() -> activity.download(new DownloadRequest(JOB, file.toString())));

    assertRefused(f, "no local roots are configured", LocalRoots.SETTING);
  }

  @Test
  void localFilesStayRefusedWhereNotAllowedWhateverTheRoots() throws Exception {
    Path file = Files.write(root.resolve("talk.mp4"), new byte[] {1});
    DownloadActivities activity = activity(settings().withLocalRoots(List.of(root)));

    ApplicationFailure f = failure(() -> activity.download(new DownloadRequest(JOB, file.toUri().toString())));

    assertRefused(f, "not allowed");
  }
}
