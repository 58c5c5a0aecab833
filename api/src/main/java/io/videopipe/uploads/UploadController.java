package io.videopipe.uploads;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/uploads?filename=talk.mp4}: the raw file as the body; answers the {@code sourceUrl} to submit. */
@RestController
@Profile({"local", "api"})
public class UploadController {
  private final UploadService uploads;

  public UploadController(UploadService uploads) {
    this.uploads = uploads;
  }

  @Operation(summary = "Upload a source video (the raw file as the body); answers the sourceUrl to submit")
  @PostMapping(value = "/api/v1/uploads", consumes = "*/*")
  public ResponseEntity<UploadService.Upload> upload(@RequestParam String filename, HttpServletRequest request)
      throws IOException {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(uploads.store(filename, request.getContentLengthLong(), request.getInputStream()));
  }

  @ExceptionHandler(UploadTooLargeException.class)
  ProblemDetail tooLarge(UploadTooLargeException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage());
    p.setTitle("Upload too large");
    return p;
  }
}
