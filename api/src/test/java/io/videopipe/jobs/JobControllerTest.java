package io.videopipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.videopipe.jobs.JobArtifacts.Artifact;
import io.videopipe.jobs.JobArtifacts.Report;
import io.videopipe.pipeline.JobStatus;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** HTTP mapping of the jobs API: parameters, validation and problem+json bodies, the services mocked. */
@WebMvcTest(JobController.class)
class JobControllerTest {
  @Autowired MockMvc mvc;
  @MockitoBean JobService jobs;
  @MockitoBean JobArtifacts artifacts;
  @MockitoBean JobListing listing;
  @MockitoBean JobTenancy tenancy;

  static Artifact artifact(String body, MediaType type, String filename) {
    return new Artifact(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), type, filename);
  }

  @Test
  void transcriptIsStreamedWithTheFormatsContentType() throws Exception {
    when(artifacts.transcript("talk-42", TranscriptFormat.VTT))
        .thenReturn(artifact("WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n", TranscriptFormat.VTT.mediaType(), "talk-42.vtt"));
    when(artifacts.transcript("talk-42", TranscriptFormat.JSON))
        .thenReturn(artifact("{\"words\":[]}", MediaType.APPLICATION_JSON, "talk-42.json"));

    mvc.perform(get("/api/v1/jobs/talk-42/transcript").param("format", "VTT"))
        .andExpect(status().isOk())
        .andExpect(content().contentType("text/vtt;charset=UTF-8"))
        .andExpect(header().string("Content-Disposition", "inline; filename=\"talk-42.vtt\""))
        .andExpect(content().string(containsString("WEBVTT")));
    // json is the default format
    mvc.perform(get("/api/v1/jobs/talk-42/transcript"))
        .andExpect(status().isOk())
        .andExpect(content().contentType(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.words").isArray());
  }

  @Test
  void unknownTranscriptFormatIs400NamingTheFormats() throws Exception {
    mvc.perform(get("/api/v1/jobs/talk-42/transcript").param("format", "docx"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Invalid request"))
        .andExpect(jsonPath("$.detail").value("unknown transcript format 'docx'; use one of json, srt, vtt, txt"));
    verify(artifacts, never()).transcript(anyString(), any());
  }

  @Test
  void artifactsOfARunningOrUnknownJobAreProblems() throws Exception {
    when(artifacts.transcript("busy", TranscriptFormat.SRT))
        .thenThrow(new JobConflictException("Job still running", "job 'busy' has no transcript yet: it is still running"));
    when(artifacts.report("nope", Report.QA)).thenThrow(new JobNotFoundException("nope"));

    mvc.perform(get("/api/v1/jobs/busy/transcript?format=srt"))
        .andExpect(status().isConflict())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Job still running"))
        .andExpect(jsonPath("$.status").value(409))
        .andExpect(jsonPath("$.detail").value("job 'busy' has no transcript yet: it is still running"));
    mvc.perform(get("/api/v1/jobs/nope/qa"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value("no job with id 'nope'"));
  }

  @Test
  void reportsAreServedAsJson() throws Exception {
    for (Report r : Report.values()) {
      when(artifacts.report("talk-42", r)).thenReturn(artifact("{\"report\":\"" + r + "\"}", MediaType.APPLICATION_JSON, "x.json"));
    }
    for (String path : List.of("highlights", "qa", "cost")) {
      mvc.perform(get("/api/v1/jobs/talk-42/" + path))
          .andExpect(status().isOk())
          .andExpect(content().contentType(MediaType.APPLICATION_JSON))
          .andExpect(jsonPath("$.report").value(path.equals("qa") ? "QA" : path.toUpperCase()));
    }
  }

  @Test
  void priorityOutside1To5OrMissingIs400AndSendsNoSignal() throws Exception {
    for (String body : List.of("{\"priority\": 0}", "{\"priority\": 6}", "{}")) {
      mvc.perform(post("/api/v1/jobs/talk-42/priority").contentType(MediaType.APPLICATION_JSON).content(body))
          .andExpect(status().isBadRequest())
          .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.detail").value(containsString("priority")))
          .andExpect(jsonPath("$.detail").value(containsString("1 (highest) to 5")));
    }
    mvc.perform(post("/api/v1/jobs/talk-42/priority"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("priority is required: 1 (highest) to 5"));
    verify(jobs, never()).reprioritize(anyString(), anyInt());
  }

  @Test
  void priorityIsSignalledOrRefusedForAnEndedJob() throws Exception {
    mvc.perform(post("/api/v1/jobs/talk-42/priority").contentType(MediaType.APPLICATION_JSON).content("{\"priority\": 1}"))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.jobId").value("talk-42"))
        .andExpect(jsonPath("$.priority").value(1));
    verify(jobs).reprioritize("talk-42", 1);

    doThrow(new JobConflictException("Job has ended", "job 'done' has already ended; only a running job can be reprioritised"))
        .when(jobs)
        .reprioritize(eq("done"), anyInt());
    mvc.perform(post("/api/v1/jobs/done/priority").contentType(MediaType.APPLICATION_JSON).content("{\"priority\": 2}"))
        .andExpect(status().isConflict())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Job has ended"));
  }

  @Test
  void listPassesTheCheckedFiltersAndAnswersTheDegradedBody() throws Exception {
    when(listing.list(any()))
        .thenReturn(
            new JobPage(
                List.of(new JobSummary("a", JobStatus.COMPLETED, "COST", "local", 3L, 0.0, Instant.parse("2026-11-23T08:00:00Z"), null, null, null)),
                null,
                "WorkflowType = 'VideoPipeline'",
                true,
                JobListing.DEGRADED_REASON));

    mvc.perform(
            get("/api/v1/jobs")
                .param("status", "completed")
                .param("engine", "local")
                .param("from", "2026-11-23")
                .param("pageSize", "5"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.degraded").value(true))
        .andExpect(jsonPath("$.reason").value(containsString("no visibility queries")))
        .andExpect(jsonPath("$.jobs[0].jobId").value("a"))
        .andExpect(jsonPath("$.jobs[0].startedAt").value("2026-11-23T08:00:00Z"))
        .andExpect(jsonPath("$.nextPageToken").doesNotExist());
    ArgumentCaptor<JobFilter> filter = ArgumentCaptor.forClass(JobFilter.class);
    verify(listing).list(filter.capture());
    assertThat(filter.getValue().status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(filter.getValue().pageSize()).isEqualTo(5);
    assertThat(filter.getValue().from()).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
  }

  @Test
  void invalidListFiltersAre400() throws Exception {
    mvc.perform(get("/api/v1/jobs").param("status", "finished"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(containsString("unknown status 'finished'")));
    mvc.perform(get("/api/v1/jobs").param("pageSize", "500"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("pageSize must be 1 to 100, was 500"));
    mvc.perform(get("/api/v1/jobs").param("pageSize", "many"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    verify(listing, never()).list(any());
  }

  @Test
  void submitAnswers202WithLinksAndTellsAnIdempotentReplay() throws Exception {
    when(jobs.submit(any(), eq("api"), isNull(), isNull())).thenReturn(new JobService.Started("job-1", false));
    when(jobs.submit(any(), eq("api"), eq("order-7"), isNull())).thenReturn(new JobService.Started("idem-abc", true));

    mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"sourceUrl\": \"https://x/v.mp4\"}"))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Location", "/api/v1/jobs/job-1"))
        .andExpect(header().doesNotExist("Idempotent-Replayed"))
        .andExpect(jsonPath("$.jobId").value("job-1"))
        .andExpect(jsonPath("$.links.cancel").value("/api/v1/jobs/job-1/cancel"));
    mvc.perform(
            post("/api/v1/jobs")
                .header("Idempotency-Key", "order-7")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"sourceUrl\": \"https://x/v.mp4\"}"))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Idempotent-Replayed", "true"))
        .andExpect(jsonPath("$.jobId").value("idem-abc"));
    ArgumentCaptor<JobSubmission> sent = ArgumentCaptor.forClass(JobSubmission.class);
    verify(jobs).submit(sent.capture(), eq("api"), eq("order-7"), isNull());
    assertThat(sent.getValue().sourceUrl()).isEqualTo("https://x/v.mp4");
  }

  @Test
  void submissionErrorsAreProblems() throws Exception {
    when(jobs.submit(any(), anyString(), eq("order-8"), any()))
        .thenThrow(new IdempotencyKeyReusedException("Idempotency-Key 'order-8' was first used for job 'idem-x' with a different request"));
    when(jobs.submit(any(), anyString(), isNull(), any())).thenThrow(new IllegalArgumentException("sourceUrl is required"));

    mvc.perform(post("/api/v1/jobs").header("Idempotency-Key", "order-8").contentType(MediaType.APPLICATION_JSON).content("{\"sourceUrl\": \"b\"}"))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Idempotency key reused"))
        .andExpect(jsonPath("$.detail").value(containsString("different request")));
    mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON).content("{}"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value("sourceUrl is required"));
    mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON).content("{not json"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value("request body is not valid JSON for a job"));
    mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON)
            .content("{\"sourceUrl\": \"b\", \"clips\": {\"targetLufs\": -14, \"maxTruePeakDbtp\": -1,"
                + " \"highlightWord\": true}}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(containsString("highlightWord needs burnCaptions")));
    mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON)
            .content("{\"sourceUrl\": \"b\", \"clips\": {\"targetLufs\": -14, \"maxTruePeakDbtp\": -1,"
                + " \"aspect\": \"4:3\"}}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(containsString("aspect must be one of [source, 9:16, 1:1]")));
    mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON)
            .content("{\"sourceUrl\": \"b\", \"clips\": {\"targetLufs\": -3, \"maxTruePeakDbtp\": -1}}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(containsString("targetLufs must be between -40 and -5 LUFS")));
    // strict JSON: an unknown field and a wrong type are named, with what was expected, before the service is called
    org.mockito.Mockito.clearInvocations(jobs);
    mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON)
            .content("{\"sourceUrl\": \"b\", \"enigne\": \"local\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(containsString("unknown field 'enigne'")))
        .andExpect(jsonPath("$.detail").value(containsString("engine")));
    mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON)
            .content("{\"sourceUrl\": \"b\", \"priority\": \"high\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("field 'priority' must be an integer, was \"high\""));
    mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON)
            .content("{\"sourceUrl\": \"b\", \"highlights\": {\"maxCount\": 3, \"minSec\": 5, \"maxSec\": 9, \"x\": 1}}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(containsString("unknown field 'highlights.x'")));
    mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON)
            .content("{\"sourceUrl\": \"b\", \"keepSource\": [1]}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(containsString("field 'keepSource' must be true or false")));
    verify(jobs, never()).submit(any(), any(), any(), any());
  }

  @Test
  void jobViewAndCancelAreMappedWithProblemsForUnknownAndEndedJobs() throws Exception {
    when(jobs.view("nope")).thenThrow(new JobNotFoundException("nope"));
    doThrow(new JobConflictException("Job has ended", "job 'done' has already ended; only a running job can be cancelled"))
        .when(jobs)
        .cancel(eq("done"), anyString());

    mvc.perform(get("/api/v1/jobs/nope"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Job not found"));
    mvc.perform(post("/api/v1/jobs/run-1/cancel").contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \"oops\"}"))
        .andExpect(status().isAccepted());
    verify(jobs).cancel("run-1", "oops");
    mvc.perform(post("/api/v1/jobs/run-2/cancel"))
        .andExpect(status().isAccepted());
    verify(jobs).cancel("run-2", "cancelled through the API");
    mvc.perform(post("/api/v1/jobs/done/cancel"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.title").value("Job has ended"));
  }

  static final byte[] CLIP = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

  static JobArtifacts.StoredFile clipFile() {
    return new JobArtifacts.StoredFile(
        CLIP.length, MediaType.parseMediaType("video/mp4"), "talk-42-clip-01.mp4",
        offset -> new ByteArrayInputStream(CLIP, (int) offset, CLIP.length - (int) offset));
  }

  @Test
  void clipsAnswerRangesWith206AndTheWholeFileWithout() throws Exception {
    when(artifacts.clip("talk-42", new ClipFile(1, "mp4", null))).thenAnswer(i -> clipFile());

    mvc.perform(get("/api/v1/jobs/talk-42/clips/1"))
        .andExpect(status().isOk())
        .andExpect(content().contentType("video/mp4"))
        .andExpect(header().string("Accept-Ranges", "bytes"))
        .andExpect(header().longValue("Content-Length", 20))
        .andExpect(content().bytes(CLIP));
    mvc.perform(get("/api/v1/jobs/talk-42/clips/1.mp4").header("Range", "bytes=2-5"))
        .andExpect(status().isPartialContent())
        .andExpect(header().string("Content-Range", "bytes 2-5/20"))
        .andExpect(header().longValue("Content-Length", 4))
        .andExpect(content().string("2345"));
    mvc.perform(get("/api/v1/jobs/talk-42/clips/1").header("Range", "bytes=15-"))
        .andExpect(status().isPartialContent())
        .andExpect(header().string("Content-Range", "bytes 15-19/20"))
        .andExpect(content().string("fghij"));
    mvc.perform(get("/api/v1/jobs/talk-42/clips/1").header("Range", "bytes=-3"))
        .andExpect(status().isPartialContent())
        .andExpect(header().string("Content-Range", "bytes 17-19/20"))
        .andExpect(content().string("hij"));
    // Past the end is clipped to the end.
    mvc.perform(get("/api/v1/jobs/talk-42/clips/1").header("Range", "bytes=18-99"))
        .andExpect(status().isPartialContent())
        .andExpect(content().string("ij"));
    // Several ranges are not supported: the whole file, as RFC 9110 allows.
    mvc.perform(get("/api/v1/jobs/talk-42/clips/1").header("Range", "bytes=0-1,4-5"))
        .andExpect(status().isOk())
        .andExpect(content().bytes(CLIP));
  }

  @Test
  void unsatisfiableRangeIs416AndAMissingClipIs404() throws Exception {
    when(artifacts.clip("talk-42", new ClipFile(1, "mp4", null))).thenAnswer(i -> clipFile());
    when(artifacts.clip("talk-42", new ClipFile(4, "mp4", null)))
        .thenThrow(new ClipNotFoundException("job 'talk-42' has no clip 4 (mp4)"));

    for (String range : List.of("bytes=20-", "bytes=-0")) {
      mvc.perform(get("/api/v1/jobs/talk-42/clips/1").header("Range", range))
          .andExpect(status().isRequestedRangeNotSatisfiable())
          .andExpect(header().string("Content-Range", "bytes */20"))
          .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.status").value(416));
    }
    mvc.perform(get("/api/v1/jobs/talk-42/clips/4"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Clip not found"))
        .andExpect(jsonPath("$.detail").value("job 'talk-42' has no clip 4 (mp4)"));
  }

  @Test
  void clipCaptionsByExtensionOrFormatAndBadNamesAre400() throws Exception {
    byte[] vtt = "WEBVTT\n".getBytes(StandardCharsets.UTF_8);
    when(artifacts.clip("talk-42", new ClipFile(2, "vtt", null)))
        .thenAnswer(i -> new JobArtifacts.StoredFile(vtt.length, TranscriptFormat.VTT.mediaType(), "c.vtt",
            offset -> new ByteArrayInputStream(vtt)));

    mvc.perform(get("/api/v1/jobs/talk-42/clips/2.vtt"))
        .andExpect(status().isOk())
        .andExpect(content().contentType("text/vtt;charset=UTF-8"))
        .andExpect(content().string("WEBVTT\n"));
    mvc.perform(get("/api/v1/jobs/talk-42/clips/02").param("format", "VTT"))
        .andExpect(status().isOk())
        .andExpect(content().string("WEBVTT\n"));
    for (String bad : List.of("0", "abc", "100", "1.gif", "1-4x3.mp4", "1-9x16.srt")) {
      mvc.perform(get("/api/v1/jobs/talk-42/clips/" + bad))
          .andExpect(status().isBadRequest())
          .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }
    mvc.perform(get("/api/v1/jobs/talk-42/clips/1.srt").param("format", "vtt"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(containsString("ask for different files")));
  }

  @Test
  void aTemporalServerThatDoesNotAnswerIs503WithRetryAfterAndOtherFailuresAreNot() throws Exception {
    when(jobs.view("talk-42"))
        .thenThrow(new io.grpc.StatusRuntimeException(io.grpc.Status.UNAVAILABLE.withDescription("io exception")));
    mvc.perform(get("/api/v1/jobs/talk-42"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(header().string("Retry-After", "5"))
        .andExpect(jsonPath("$.title").value("Temporal unavailable"))
        .andExpect(jsonPath("$.detail").value(containsString("videopipe.temporal.address")));

    // Only an unanswered call is "unavailable": any other gRPC failure is not dressed up as one.
    when(jobs.view("talk-43")).thenThrow(new io.grpc.StatusRuntimeException(io.grpc.Status.INTERNAL));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> mvc.perform(get("/api/v1/jobs/talk-43")))
        .hasRootCauseInstanceOf(io.grpc.StatusRuntimeException.class)
        .rootCause().hasMessage("INTERNAL");
  }
}
