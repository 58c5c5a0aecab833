package io.videopipe.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.storage.GcsStorage;
import io.videopipe.storage.LocalStorage;
import io.videopipe.storage.Storage;
import io.videopipe.testing.ActivityTestEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DownloadActivitiesImplTest {
  private static final String JOB = "job-1";

  @TempDir Path tmp;
  @RegisterExtension final ActivityTestEnvironment testEnv = ActivityTestEnvironment.newBuilder().build();
  private Path staging;
  private Storage storage;
  private com.google.cloud.storage.Storage gcs;
  private MockWebServer server;
  private List<Long> heartbeats;

  @BeforeEach
  void setUp() throws IOException {
    staging = tmp.resolve("work");
    storage = new LocalStorage(tmp.resolve("data"));
    gcs = LocalStorageHelper.getOptions().getService();
    server = new MockWebServer();
    server.start();
    heartbeats = testEnv.heartbeats(Long.class);
  }

  @AfterEach
  void tearDown() throws IOException {
    server.shutdown();
  }

  private DownloadSettings settings() {
    // MockWebServer listens on loopback, which sources may reach only when explicitly allowed.
    return DownloadSettings.local()
        .withStagingDir(staging)
        .withAllowPlainHttp(true)
        .withAllowedHosts(List.of(server.getHostName()))
        .withLocalRoots(List.of(tmp))
        .withReadTimeout(Duration.ofSeconds(5));
  }

  private DownloadActivities activity(DownloadSettings settings) {
    return testEnv
        .register(DownloadActivitiesImpl.newBuilder(storage, settings).setGcsClient(gcs).build())
        .stub(DownloadActivities.class);
  }

  private DownloadActivities activity() {
    return activity(settings());
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static Buffer buffer(byte[] b) {
    return new Buffer().write(b);
  }

  private byte[] stored(StoredSource result) throws IOException {
    try (InputStream in = storage.openRead(URI.create(result.storedUri()))) {
      return in.readAllBytes();
    }
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

  private long stagedFiles() throws IOException {
    if (!Files.exists(staging)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(staging)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private Path stagedPart(String name) {
    return staging.resolve(JOB).resolve("download").resolve(name + ".part");
  }

  private void assertNothingLeftBehind() throws IOException {
    assertThat(storage.list(storage.jobUri(JOB, ""))).isEmpty();
    assertThat(stagedFiles()).isZero();
  }

  @Test
  void streamsAnHttpSourceIntoStorageWithSizeAndHash() throws Exception {
    byte[] content = bytes(9 * 1024 * 1024 + 17);
    server.enqueue(new MockResponse().setBody(buffer(content)));
    String uri = server.url("/videos/My%20Talk.mp4").toString() + "?X-Goog-Signature=secret123";

    StoredSource result = activity().download(new DownloadRequest(JOB, uri));

    assertThat(result.sizeBytes()).isEqualTo(content.length);
    assertThat(result.sha256()).isEqualTo(sha256(content));
    assertThat(URI.create(result.storedUri())).isEqualTo(storage.jobUri(JOB, "source/My_Talk.mp4"));
    assertThat(stored(result)).isEqualTo(content);
    assertThat(result.sourceUri()).doesNotContain("secret123").endsWith("/videos/My%20Talk.mp4");
    assertThat(storage.list(storage.jobUri(JOB, ""))).hasSize(1);
    assertThat(stagedFiles()).isZero();
    assertThat(heartbeats).isNotEmpty();
    RecordedRequest request = server.takeRequest();
    assertThat(request.getHeader("Range")).isNull();
  }

  @Test
  void storesIntoGcsArtifactStorage() throws Exception {
    storage = new GcsStorage(gcs, URI.create("gs://artifacts/videopipe/"), tmp.resolve("gcs-tmp"));
    byte[] content = bytes(300_000);
    server.enqueue(new MockResponse().setBody(buffer(content)));

    StoredSource result = activity().download(new DownloadRequest(JOB, server.url("/a/clip.mov").toString()));

    assertThat(result.storedUri()).isEqualTo("gs://artifacts/videopipe/jobs/job-1/source/clip.mov");
    assertThat(stored(result)).isEqualTo(content);
    assertThat(result.sha256()).isEqualTo(sha256(content));
    assertThat(stagedFiles()).isZero();
  }

  @Test
  void notFoundIsNonRetryableAndNamesTheUriWithoutItsQuery() throws IOException {
    server.enqueue(new MockResponse().setResponseCode(404));
    String uri = server.url("/missing.mp4").toString() + "?token=secret123";

    ApplicationFailure f = failure(() -> activity().download(new DownloadRequest(JOB, uri)));

    assertThat(f.getType()).isEqualTo(ErrorTypes.SOURCE_NOT_FOUND);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains("404").contains(server.url("/missing.mp4").toString());
    assertThat(f.getOriginalMessage()).doesNotContain("secret123");
    assertNothingLeftBehind();
  }

  @Test
  void goneIsNotFound() throws IOException {
    server.enqueue(new MockResponse().setResponseCode(410));

    ApplicationFailure f = failure(() -> activity().download(new DownloadRequest(JOB, server.url("/x").toString())));

    assertThat(f.getType()).isEqualTo(ErrorTypes.SOURCE_NOT_FOUND);
  }

  @Test
  void serverErrorsAreRetryable() throws IOException {
    server.enqueue(new MockResponse().setResponseCode(503));

    ApplicationFailure f = failure(() -> activity().download(new DownloadRequest(JOB, server.url("/v.mp4").toString())));

    assertThat(f.getType()).isEqualTo(ErrorTypes.TRANSIENT);
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(f.getOriginalMessage()).contains("503").contains("/v.mp4");
    assertNothingLeftBehind();
  }

  @Test
  void otherClientErrorsAreNonRetryable() throws IOException {
    server.enqueue(new MockResponse().setResponseCode(403));
    server.enqueue(new MockResponse().setResponseCode(400));
    DownloadActivities activity = activity();
    String uri = server.url("/v.mp4").toString();

    ApplicationFailure forbidden = failure(() -> activity.download(new DownloadRequest(JOB, uri)));
    ApplicationFailure badRequest = failure(() -> activity.download(new DownloadRequest(JOB, uri)));

    assertThat(forbidden.getType()).isEqualTo(ErrorTypes.SOURCE_NOT_ALLOWED);
    assertThat(forbidden.isNonRetryable()).isTrue();
    assertThat(forbidden.getOriginalMessage()).contains("403");
    assertThat(badRequest.getType()).isEqualTo(ErrorTypes.INVALID_REQUEST);
    assertThat(badRequest.isNonRetryable()).isTrue();
    assertThat(badRequest.getOriginalMessage()).contains("400");
    assertNothingLeftBehind();
  }

  @Test
  void contentLengthOverTheLimitFailsBeforeStreaming() throws IOException {
    server.enqueue(new MockResponse().setBody(buffer(bytes(5000))));

    ApplicationFailure f =
        failure(() -> activity(settings().withMaxBytes(1000)).download(new DownloadRequest(JOB, server.url("/big").toString())));

    assertThat(f.getType()).isEqualTo(ErrorTypes.SOURCE_TOO_LARGE);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains("5000 bytes").contains("limit of 1000 bytes").contains("/big");
    assertNothingLeftBehind();
  }

  @Test
  void chunkedBodyOverTheLimitFailsWhileStreaming() throws IOException {
    server.enqueue(new MockResponse().setChunkedBody(buffer(bytes(700_000)), 4096));

    ApplicationFailure f =
        failure(
            () ->
                activity(settings().withMaxBytes(500_000))
                    .download(new DownloadRequest(JOB, server.url("/stream").toString())));

    assertThat(f.getType()).isEqualTo(ErrorTypes.SOURCE_TOO_LARGE);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains("limit of 500000 bytes").contains("/stream");
    assertNothingLeftBehind();
  }

  @Test
  void emptyHttpBodyIsSourceEmpty() throws IOException {
    server.enqueue(new MockResponse().setBody(""));
    server.enqueue(new MockResponse().setChunkedBody("", 16));
    DownloadActivities activity = activity();
    String uri = server.url("/empty.mp4").toString();

    ApplicationFailure withLength = failure(() -> activity.download(new DownloadRequest(JOB, uri)));
    ApplicationFailure chunked = failure(() -> activity.download(new DownloadRequest(JOB, uri)));

    assertThat(withLength.getType()).isEqualTo(ErrorTypes.SOURCE_EMPTY);
    assertThat(chunked.getType()).isEqualTo(ErrorTypes.SOURCE_EMPTY);
    assertThat(chunked.isNonRetryable()).isTrue();
    assertNothingLeftBehind();
  }

  /** Fails a first attempt half-way through the body and returns the staged part's size. */
  private long failHalfWay(DownloadActivities activity, String uri, byte[] content, boolean advertiseRanges)
      throws IOException {
    MockResponse response =
        new MockResponse()
            .setBody(buffer(content))
            .addHeader("ETag", "\"v1\"")
            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);
    if (advertiseRanges) {
      response.addHeader("Accept-Ranges", "bytes");
    }
    server.enqueue(response);

    ApplicationFailure f = failure(() -> activity.download(new DownloadRequest(JOB, uri)));

    assertThat(f.getType()).isEqualTo(ErrorTypes.TRANSIENT);
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(storage.list(storage.jobUri(JOB, ""))).isEmpty();
    Path part = stagedPart("video.mp4");
    return Files.exists(part) ? Files.size(part) : -1;
  }

  @Test
  void resumesFromTheHeartbeatCheckpointWithARangeRequest() throws Exception {
    byte[] content = bytes(6 * 1024 * 1024);
    DownloadActivities activity = activity();
    String uri = server.url("/video.mp4").toString();
    long staged = failHalfWay(activity, uri, content, true);
    assertThat(staged).as("first attempt keeps its part").isGreaterThan(1000).isLessThan(content.length);
    server.takeRequest();

    // The checkpoint lags the staged bytes, as a throttled heartbeat does; the part is cut back to it.
    long checkpoint = staged - 1000;
    testEnv.environment().setHeartbeatDetails(checkpoint);
    server.enqueue(
        new MockResponse()
            .setResponseCode(206)
            .addHeader("ETag", "\"v1\"")
            .addHeader("Content-Range", "bytes " + checkpoint + "-" + (content.length - 1) + "/" + content.length)
            .setBody(buffer(Arrays.copyOfRange(content, (int) checkpoint, content.length))));

    StoredSource result = activity.download(new DownloadRequest(JOB, uri));

    RecordedRequest resumed = server.takeRequest();
    assertThat(resumed.getHeader("Range")).isEqualTo("bytes=" + checkpoint + "-");
    assertThat(resumed.getHeader("If-Range")).isEqualTo("\"v1\"");
    assertThat(resumed.getBodySize()).isZero();
    assertThat(result.sizeBytes()).isEqualTo(content.length);
    assertThat(result.sha256()).isEqualTo(sha256(content));
    assertThat(stored(result)).isEqualTo(content);
    assertThat(stagedFiles()).isZero();
  }

  @Test
  void restartsCleanlyWhenTheServerIgnoresTheRange() throws Exception {
    byte[] content = bytes(6 * 1024 * 1024);
    DownloadActivities activity = activity();
    String uri = server.url("/video.mp4").toString();
    long staged = failHalfWay(activity, uri, content, true);
    assertThat(staged).isGreaterThan(0);
    server.takeRequest();

    testEnv.environment().setHeartbeatDetails(staged);
    server.enqueue(new MockResponse().setBody(buffer(content)));

    StoredSource result = activity.download(new DownloadRequest(JOB, uri));

    assertThat(server.takeRequest().getHeader("Range")).isEqualTo("bytes=" + staged + "-");
    assertThat(result.sizeBytes()).isEqualTo(content.length);
    assertThat(result.sha256()).isEqualTo(sha256(content));
    assertThat(stored(result)).isEqualTo(content);
    assertThat(stagedFiles()).isZero();
  }

  @Test
  void restartsWhenTheRangeAnswerDoesNotLineUp() throws Exception {
    byte[] content = bytes(3 * 1024 * 1024);
    DownloadActivities activity = activity();
    String uri = server.url("/video.mp4").toString();
    long staged = failHalfWay(activity, uri, content, true);
    assertThat(staged).isGreaterThan(10);
    server.takeRequest();

    testEnv.environment().setHeartbeatDetails(staged);
    // A 206 from the wrong offset must not be appended; the activity asks again from the start.
    server.enqueue(
        new MockResponse()
            .setResponseCode(206)
            .addHeader("Content-Range", "bytes 0-9/" + content.length)
            .setBody(buffer(Arrays.copyOf(content, 10))));
    server.enqueue(new MockResponse().setBody(buffer(content)));

    StoredSource result = activity.download(new DownloadRequest(JOB, uri));

    assertThat(server.takeRequest().getHeader("Range")).isEqualTo("bytes=" + staged + "-");
    assertThat(server.takeRequest().getHeader("Range")).isNull();
    assertThat(result.sha256()).isEqualTo(sha256(content));
    assertThat(stored(result)).isEqualTo(content);
  }

  @Test
  void serverWithoutRangeSupportLeavesNoPartBehind() throws Exception {
    byte[] content = bytes(3 * 1024 * 1024);
    DownloadActivities activity = activity();
    String uri = server.url("/video.mp4").toString();

    long staged = failHalfWay(activity, uri, content, false);

    assertThat(staged).isEqualTo(-1);
    assertNothingLeftBehind();
  }

  @Test
  void aPartLeftPastTheStagingMaxAgeIsSweptAndTheRetryStartsOver() throws Exception {
    byte[] content = bytes(3 * 1024 * 1024);
    DownloadActivities activity = activity();
    String uri = server.url("/video.mp4").toString();
    long staged = failHalfWay(activity, uri, content, true);
    assertThat(staged).isGreaterThan(0);
    server.takeRequest();
    Path part = stagedPart("video.mp4");
    FileTime dayAndAHourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(25)));
    Files.setLastModifiedTime(part, dayAndAHourAgo);
    Files.setLastModifiedTime(part.resolveSibling("video.mp4.part.meta"), dayAndAHourAgo);

    assertThat(new StagingArea(staging, Duration.ofHours(24)).sweep()).isEqualTo(2);
    assertThat(stagedFiles()).isZero();

    testEnv.environment().setHeartbeatDetails(staged);
    server.enqueue(new MockResponse().setBody(buffer(content)));
    StoredSource result = activity.download(new DownloadRequest(JOB, uri));

    assertThat(server.takeRequest().getHeader("Range")).as("nothing left to resume from").isNull();
    assertThat(result.sha256()).isEqualTo(sha256(content));
    assertThat(stored(result)).isEqualTo(content);
  }

  @Test
  void checkpointWithoutAPartStartsFromScratch() throws Exception {
    byte[] content = bytes(100_000);
    DownloadActivities activity = activity();
    testEnv.environment().setHeartbeatDetails(50_000L);
    server.enqueue(new MockResponse().setBody(buffer(content)));

    StoredSource result = activity.download(new DownloadRequest(JOB, server.url("/video.mp4").toString()));

    assertThat(server.takeRequest().getHeader("Range")).isNull();
    assertThat(stored(result)).isEqualTo(content);
  }

  @Test
  void stalledBodyTimesOutAsRetryable() throws IOException {
    server.enqueue(new MockResponse().setBody(buffer(bytes(1000))).setBodyDelay(4, TimeUnit.SECONDS));

    ApplicationFailure f =
        failure(
            () ->
                activity(settings().withReadTimeout(Duration.ofMillis(1500)))
                    .download(new DownloadRequest(JOB, server.url("/slow.mp4").toString())));

    assertThat(f.getType()).isEqualTo(ErrorTypes.TRANSIENT);
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(f.getOriginalMessage()).contains("/slow.mp4").contains("no data for 1500 ms");
    assertNothingLeftBehind();
  }

  @Test
  void cancellationDeletesTheStagedPart() throws IOException {
    server.enqueue(
        new MockResponse().setBody(buffer(bytes(12 * 1024 * 1024))).addHeader("Accept-Ranges", "bytes"));
    DownloadActivities activity = activity();
    testEnv.environment().requestCancelActivity();

    Throwable t = catchThrowable(() -> activity.download(new DownloadRequest(JOB, server.url("/v.mp4").toString())));

    assertThat(Stream.iterate(t, c -> c != null, Throwable::getCause))
        .hasAtLeastOneElementOfType(io.temporal.failure.CanceledFailure.class);
    assertNothingLeftBehind();
  }

  @Test
  void copiesALocalFileByPathAndByFileUri() throws Exception {
    byte[] content = bytes(200_000);
    Path file = Files.write(tmp.resolve("in put.mkv"), content);
    DownloadActivities activity = activity();

    StoredSource byPath = activity.download(new DownloadRequest(JOB, file.toString()));
    StoredSource byUri = activity.download(new DownloadRequest("job-2", file.toUri().toString()));

    assertThat(URI.create(byPath.storedUri())).isEqualTo(storage.jobUri(JOB, "source/in_put.mkv"));
    assertThat(stored(byPath)).isEqualTo(content);
    assertThat(byPath.sha256()).isEqualTo(sha256(content));
    assertThat(byUri.sizeBytes()).isEqualTo(content.length);
    assertThat(stored(byUri)).isEqualTo(content);
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
    assertThat(stagedFiles()).isZero();
  }

  @Test
  void missingLocalFileIsNotFound() throws IOException {
    Path missing = tmp.resolve("nope.mp4");

    ApplicationFailure f = failure(() -> activity().download(new DownloadRequest(JOB, missing.toString())));

    assertThat(f.getType()).isEqualTo(ErrorTypes.SOURCE_NOT_FOUND);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains(missing.toString());
    assertNothingLeftBehind();
  }

  @Test
  void zeroByteLocalFileIsEmpty() throws IOException {
    Path empty = Files.createFile(tmp.resolve("empty.mp4"));

    ApplicationFailure f = failure(() -> activity().download(new DownloadRequest(JOB, empty.toString())));

    assertThat(f.getType()).isEqualTo(ErrorTypes.SOURCE_EMPTY);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains(empty.toString());
    assertNothingLeftBehind();
  }

  @Test
  void localFileOverTheLimitIsTooLarge() throws IOException {
    Path file = Files.write(tmp.resolve("big.mp4"), bytes(2048));

    ApplicationFailure f =
        failure(() -> activity(settings().withMaxBytes(1024)).download(new DownloadRequest(JOB, file.toString())));

    assertThat(f.getType()).isEqualTo(ErrorTypes.SOURCE_TOO_LARGE);
    assertThat(f.getOriginalMessage()).contains("2048 bytes").contains("1024 bytes");
    assertNothingLeftBehind();
  }

  @Test
  void localFilesAreRefusedWhereNotAllowed() throws IOException {
    Path file = Files.write(tmp.resolve("secret.mp4"), bytes(10));
    DownloadActivities activity = activity(DownloadSettings.deployed().withStagingDir(staging));

    ApplicationFailure byPath = failure(() -> activity.download(new DownloadRequest(JOB, file.toString())));
    ApplicationFailure byUri = failure(() -> activity.download(new DownloadRequest(JOB, file.toUri().toString())));

    for (ApplicationFailure f : List.of(byPath, byUri)) {
      assertThat(f.getType()).isEqualTo(ErrorTypes.SOURCE_NOT_ALLOWED);
      assertThat(f.isNonRetryable()).isTrue();
      assertThat(f.getOriginalMessage()).contains("secret.mp4");
    }
    assertNothingLeftBehind();
  }

  @Test
  void plainHttpIsRefusedUnlessAllowed() throws IOException {
    DownloadActivities activity = activity(DownloadSettings.deployed().withStagingDir(staging));

    ApplicationFailure f = failure(() -> activity.download(new DownloadRequest(JOB, server.url("/v.mp4").toString())));

    assertThat(f.getType()).isEqualTo(ErrorTypes.SOURCE_NOT_ALLOWED);
    assertThat(f.getOriginalMessage()).contains("http").contains("/v.mp4");
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/v.mp4", "s3://bucket/v.mp4", "rtmp://live.example.com/x", "data:video/mp4,AAAA"})
  void unsupportedSchemes(String uri) throws IOException {
    ApplicationFailure f = failure(() -> activity().download(new DownloadRequest(JOB, uri)));

    assertThat(f.getType()).isEqualTo(ErrorTypes.UNSUPPORTED_SOURCE);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains("'" + uri.substring(0, uri.indexOf(':')) + "'");
    assertNothingLeftBehind();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "../etc", "a/b", "job 1"})
  void unsafeJobIdsAreInvalid(String jobId) {
    ApplicationFailure f = failure(() -> activity().download(new DownloadRequest(jobId, "https://example.com/v.mp4")));

    assertThat(f.getType()).isEqualTo(ErrorTypes.INVALID_REQUEST);
    assertThat(f.isNonRetryable()).isTrue();
  }

  @Test
  void downloadsAGcsObjectFromAnotherBucket() throws Exception {
    byte[] content = bytes(3 * 1024 * 1024 + 5);
    gcs.create(BlobInfo.newBuilder(BlobId.of("uploads", "incoming/talk 1.mp4")).build(), content);

    StoredSource result = activity().download(new DownloadRequest(JOB, "gs://uploads/incoming/talk 1.mp4"));

    assertThat(result.sourceUri()).isEqualTo("gs://uploads/incoming/talk 1.mp4");
    assertThat(URI.create(result.storedUri())).isEqualTo(storage.jobUri(JOB, "source/talk_1.mp4"));
    assertThat(result.sizeBytes()).isEqualTo(content.length);
    assertThat(result.sha256()).isEqualTo(sha256(content));
    assertThat(stored(result)).isEqualTo(content);
    assertThat(stagedFiles()).isZero();
  }

  @Test
  void gcsFailuresAreClassified() throws IOException {
    gcs.create(BlobInfo.newBuilder(BlobId.of("uploads", "big.mp4")).build(), bytes(4096));
    gcs.create(BlobInfo.newBuilder(BlobId.of("uploads", "empty.mp4")).build(), new byte[0]);
    DownloadActivities activity = activity(settings().withMaxBytes(1024));

    ApplicationFailure missing = failure(() -> activity.download(new DownloadRequest(JOB, "gs://uploads/nope.mp4")));
    ApplicationFailure big = failure(() -> activity.download(new DownloadRequest(JOB, "gs://uploads/big.mp4")));
    ApplicationFailure empty = failure(() -> activity.download(new DownloadRequest(JOB, "gs://uploads/empty.mp4")));
    ApplicationFailure noObject = failure(() -> activity.download(new DownloadRequest(JOB, "gs://uploads/")));

    assertThat(missing.getType()).isEqualTo(ErrorTypes.SOURCE_NOT_FOUND);
    assertThat(missing.getOriginalMessage()).contains("gs://uploads/nope.mp4");
    assertThat(big.getType()).isEqualTo(ErrorTypes.SOURCE_TOO_LARGE);
    assertThat(big.getOriginalMessage()).contains("4096 bytes").contains("1024 bytes");
    assertThat(empty.getType()).isEqualTo(ErrorTypes.SOURCE_EMPTY);
    assertThat(noObject.getType()).isEqualTo(ErrorTypes.INVALID_REQUEST);
    assertNothingLeftBehind();
  }

  @Test
  void resumesAGcsObjectAtTheCheckpoint() throws Exception {
    byte[] content = bytes(2 * 1024 * 1024);
    gcs.create(BlobInfo.newBuilder(BlobId.of("uploads", "video.mp4")).build(), content);
    DownloadActivities activity = activity();
    // A first attempt that staged the first half and recorded which version of the object it was reading.
    StagingArea.Part part = new StagingArea(staging, StagingArea.DEFAULT_MAX_AGE).part(JOB, "video.mp4");
    part.writeCheckpoint(
        "gs://uploads/video.mp4", GcsSource.validator(gcs.get(BlobId.of("uploads", "video.mp4"))), content.length);
    Files.write(part.data(), Arrays.copyOf(content, content.length / 2));
    testEnv.environment().setHeartbeatDetails((long) content.length / 2);

    StoredSource result = activity.download(new DownloadRequest(JOB, "gs://uploads/video.mp4"));

    assertThat(result.sha256()).isEqualTo(sha256(content));
    assertThat(stored(result)).isEqualTo(content);
    assertThat(heartbeats).first().isEqualTo((long) content.length / 2);
    assertThat(stagedFiles()).isZero();
  }

  @Test
  void gcsObjectReplacedSinceTheCheckpointRestarts() throws Exception {
    byte[] content = bytes(1024 * 1024);
    gcs.create(BlobInfo.newBuilder(BlobId.of("uploads", "video.mp4")).build(), content);
    DownloadActivities activity = activity();
    StagingArea.Part part = new StagingArea(staging, StagingArea.DEFAULT_MAX_AGE).part(JOB, "video.mp4");
    part.writeCheckpoint("gs://uploads/video.mp4", "generation:1", content.length);
    Files.write(part.data(), bytes(1000));
    testEnv.environment().setHeartbeatDetails(1000L);

    StoredSource result = activity.download(new DownloadRequest(JOB, "gs://uploads/video.mp4"));

    assertThat(heartbeats).first().isEqualTo(0L);
    assertThat(result.sha256()).isEqualTo(sha256(content));
    assertThat(stored(result)).isEqualTo(content);
  }
}
