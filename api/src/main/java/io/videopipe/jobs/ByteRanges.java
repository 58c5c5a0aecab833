package io.videopipe.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Serves a stored file whole (200) or one byte range of it (206, RFC 9110 section 14): {@code bytes=a-b},
 * {@code bytes=a-} and {@code bytes=-n}. Several ranges, or a header that does not parse, get the whole file, as the
 * RFC allows; a range that starts past the end gets 416.
 */
final class ByteRanges {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private ByteRanges() {}

  /** First and last byte (inclusive), null for the whole file, or {@code {-1, -1}} when unsatisfiable. */
  static long[] parse(String header, long size) {
    if (header == null) {
      return null;
    }
    Matcher m = SINGLE.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null;
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) {
          return new long[] {-1, -1};
        }
        return new long[] {Math.max(0, size - suffix), size - 1};
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
        return null;
      }
      if (first >= size) {
        return new long[] {-1, -1};
      }
      return new long[] {first, last};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static void serve(JobArtifacts.StoredFile file, String rangeHeader, HttpServletResponse response)
      throws IOException {
    long size = file.size();
    long[] range = parse(rangeHeader, size);
    response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    if (range != null && range[0] < 0) {
      response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
      response.setStatus(416);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
          "range '" + rangeHeader + "' lies outside the " + size + " bytes of " + file.filename());
      p.setTitle("Range not satisfiable");
      JSON.writeValue(response.getOutputStream(), p);
      return;
    }
    long first = range == null ? 0 : range[0];
    long length = range == null ? size : range[1] - range[0] + 1;
    response.setContentType(file.mediaType().toString());
    response.setHeader(
        HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename(file.filename()).build().toString());
    if (range != null) {
      response.setStatus(206);
      response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + range[0] + "-" + range[1] + "/" + size);
    } else {
      response.setStatus(200);
    }
    response.setContentLengthLong(length);
    try (InputStream in = file.open(first)) {
      OutputStream out = response.getOutputStream();
      byte[] buf = new byte[64 * 1024];
      long left = length;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          break;
        }
        out.write(buf, 0, n);
        left -= n;
      }
    }
  }
}
