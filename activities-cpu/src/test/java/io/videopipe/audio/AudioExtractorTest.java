package io.videopipe.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.pipeline.ErrorTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AudioExtractorTest {
  private static final double SECONDS = 3;

  @TempDir Path dir;

  private final AudioExtractor extractor = new AudioExtractor(0);

  static Stream<Arguments> sources() {
    return Stream.of(
        source("MP4 H.264 + AAC", MediaFixtures::mp4H264Aac),
        source("MKV H.265 + Opus", MediaFixtures::mkvH265Opus),
        source("WebM VP9 + Opus", MediaFixtures::webmVp9Opus),
        source("WebM VP9 + Vorbis", MediaFixtures::webmVp9Vorbis),
        source("MOV H.264 + AAC", MediaFixtures::movH264Aac),
        source("M4A AAC", MediaFixtures::m4aAac),
        source("MP3", MediaFixtures::mp3),
        source("MP3 with cover art", MediaFixtures::mp3WithCover),
        source("WAV 48 kHz stereo", MediaFixtures::wav),
        source("FLAC", MediaFixtures::flac),
        source("8 kHz mu-law telephone WAV", MediaFixtures::telephone8k));
  }

  private static Arguments source(String name, BiFunction<Path, Double, Path> generator) {
    return Arguments.of(name, generator);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void decodesEveryContainerToA16kMonoToneOfTheRightLength(String name, BiFunction<Path, Double, Path> generator)
      throws Exception {
    Path source = generator.apply(dir, SECONDS);
    Path out = dir.resolve("out.wav");

    AudioExtractor.Result result = extractor.extract(source, out, AudioExtractor.Listener.NONE);

    Wav wav = Wav.read(out);
    assertThat(wav.format()).isEqualTo(1);
    assertThat(wav.sampleRate()).isEqualTo(16_000);
    assertThat(wav.channels()).isEqualTo(1);
    assertThat(wav.bitsPerSample()).isEqualTo(16);
    assertThat(wav.riffSize()).isEqualTo(wav.fileSize() - 8);
    assertThat(wav.fileSize()).isEqualTo(44 + 2L * result.samples());
    assertThat(wav.durationSec()).isCloseTo(SECONDS, within(0.1));
    assertThat(result.durationSec()).isEqualTo(wav.durationSec());
    assertThat(result.endedEarly()).isFalse();
    assertThat(result.corruptPackets()).isZero();
    assertThat(wav.zeroCrossingHz()).isCloseTo(MediaFixtures.TONE_HZ, within(5.0));
    assertThat(wav.tonePower(MediaFixtures.TONE_HZ)).isGreaterThan(0.8);
    assertThat(wav.tonePower(MediaFixtures.TONE_HZ * 1.5)).isLessThan(0.01);
    assertThat(wav.rms()).isGreaterThan(1000);
  }

  @Test
  void downmixesEvery51ChannelIntoTheMonoMix() throws Exception {
    Path source = MediaFixtures.surround51(dir, SECONDS);
    Path out = dir.resolve("out.wav");

    AudioExtractor.Result result = extractor.extract(source, out, AudioExtractor.Listener.NONE);

    assertThat(result.media().audio().get(0).channels()).isEqualTo(6);
    Wav wav = Wav.read(out);
    assertThat(wav.channels()).isEqualTo(1);
    assertThat(wav.durationSec()).isCloseTo(SECONDS, within(0.1));
    double total = 0;
    for (int hz : MediaFixtures.SURROUND_TONES_HZ) {
      if (hz == 0) {
        continue;
      }
      // Each of FL, FR, FC, BL, BR carries its own tone: all must reach the mono mix, not just the first channel.
      assertThat(wav.tonePower(hz)).as("tone %d Hz", hz).isGreaterThan(0.05);
      total += wav.tonePower(hz);
    }
    assertThat(total).isGreaterThan(0.9);
    assertThat(wav.tonePower(1500)).isLessThan(0.005);
  }

  @Test
  void upsamples8kTelephoneAudio() throws Exception {
    Path out = dir.resolve("out.wav");

    AudioExtractor.Result result =
        extractor.extract(MediaFixtures.telephone8k(dir, SECONDS), out, AudioExtractor.Listener.NONE);

    assertThat(result.media().audio().get(0).sampleRate()).isEqualTo(8000);
    Wav wav = Wav.read(out);
    assertThat(wav.samples().length).isCloseTo(48_000, within(100));
    assertThat(wav.zeroCrossingHz()).isCloseTo(MediaFixtures.TONE_HZ, within(5.0));
  }

  @Test
  void matchesTheFfmpegCliSampleForSample() throws Exception {
    Path source = MediaFixtures.mp4H264Aac(dir, SECONDS);
    Path ours = dir.resolve("ours.wav");
    Path cli =
        MediaFixtures.ffmpeg(
            dir.resolve("cli.wav"), "-i", source.toString(), "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le");

    extractor.extract(source, ours, AudioExtractor.Listener.NONE);

    assertThat(Wav.read(ours).samples()).isEqualTo(Wav.read(cli).samples());
  }

  @Test
  void reportsProgressUpToCompletion() throws Exception {
    List<Double> fractions = new ArrayList<>();
    List<Double> decoded = new ArrayList<>();

    extractor.extract(
        MediaFixtures.m4aAac(dir, 5),
        dir.resolve("out.wav"),
        (fraction, decodedSec) -> {
          fractions.add(fraction);
          decoded.add(decodedSec);
        });

    assertThat(fractions).hasSizeGreaterThan(3).isSorted();
    assertThat(fractions.get(0)).isLessThan(0.5);
    assertThat(fractions.get(fractions.size() - 1)).isEqualTo(1.0);
    assertThat(decoded).isSorted();
    assertThat(decoded.get(decoded.size() - 1)).isCloseTo(5, within(0.1));
  }

  @Test
  void stopsWhenTheCancellationCheckSaysSo() throws Exception {
    Path source = MediaFixtures.m4aAac(dir, 5);
    int[] polls = {0};

    assertThatThrownBy(
            () ->
                extractor.extract(
                    source,
                    dir.resolve("out.wav"),
                    new AudioExtractor.Listener() {
                      @Override
                      public void progress(double fraction, double decodedSec) {}

                      @Override
                      public boolean cancelled() {
                        return ++polls[0] >= 2;
                      }
                    }))
        .isInstanceOf(CancellationException.class);
    assertThat(polls[0]).isEqualTo(2);
  }

  @Test
  void anExceptionFromTheProgressCallbackStopsExtraction() throws Exception {
    Path source = MediaFixtures.m4aAac(dir, 5);
    List<Double> seen = new ArrayList<>();

    assertThatThrownBy(
            () ->
                extractor.extract(
                    source,
                    dir.resolve("out.wav"),
                    (fraction, decodedSec) -> {
                      seen.add(fraction);
                      throw new IllegalStateException("stop");
                    }))
        .hasMessage("stop");
    assertThat(seen).hasSize(1);
  }

  @Test
  void videoWithoutAudioIsNoAudioStream() throws Exception {
    Path source = MediaFixtures.videoOnlyH264(dir, 2, 1280, 720);

    assertThatThrownBy(() -> extractor.extract(source, dir.resolve("out.wav"), AudioExtractor.Listener.NONE))
        .isInstanceOfSatisfying(
            MediaException.class, e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.NO_AUDIO_STREAM))
        .hasMessage("no audio stream: the source has 1 video stream (h264 1280x720) and nothing to transcribe");
  }

  @Test
  void mp4CutAnywhereBeforeItsTrailingIndexIsUnsupported() throws Exception {
    Path whole = MediaFixtures.mp4H264Aac(dir, SECONDS);
    long size = Files.size(whole);
    // From inside the header, through the media data, to inside the trailing 'moov' (about 3 KB here).
    for (long cut : new long[] {8, 40, 1000, size / 3, size / 2, size - 5000, size - 2000, size - 300}) {
      Path source = MediaFixtures.truncated(whole, dir.resolve("cut-" + cut + ".mp4"), cut);
      assertThatThrownBy(() -> extractor.extract(source, dir.resolve("out.wav"), AudioExtractor.Listener.NONE))
          .as("cut at %d of %d bytes", cut, size)
          .isInstanceOfSatisfying(
              MediaException.class, e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.UNSUPPORTED_MEDIA))
          .hasMessageStartingWith("truncated");
    }
  }

  @Test
  void faststartMp4CutInItsIndexIsUnsupported() throws Exception {
    Path whole = MediaFixtures.faststart(MediaFixtures.mp4H264Aac(dir, SECONDS), dir.resolve("fast.mp4"));
    Path source = MediaFixtures.truncated(whole, dir.resolve("cut.mp4"), 300);

    assertThatThrownBy(() -> extractor.extract(source, dir.resolve("out.wav"), AudioExtractor.Listener.NONE))
        .isInstanceOfSatisfying(
            MediaException.class, e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.UNSUPPORTED_MEDIA))
        .hasMessageContaining("truncated")
        .hasMessageContaining("'moov'");
  }

  @Test
  void faststartMp4CutInItsDataKeepsWhatDecodes() throws Exception {
    Path whole = MediaFixtures.faststart(MediaFixtures.mp4H264Aac(dir, SECONDS), dir.resolve("fast.mp4"));
    Path source = MediaFixtures.truncated(whole, dir.resolve("half.mp4"), Files.size(whole) / 2);
    Path out = dir.resolve("out.wav");

    AudioExtractor.Result result = extractor.extract(source, out, AudioExtractor.Listener.NONE);

    assertThat(result.endedEarly()).isTrue();
    assertThat(result.durationSec()).isBetween(0.5, SECONDS - 0.5);
    assertThat(result.media().durationSec()).isCloseTo(SECONDS, within(0.1));
    assertThat(Wav.read(out).zeroCrossingHz()).isCloseTo(MediaFixtures.TONE_HZ, within(5.0));
  }

  @Test
  void truncatedMatroskaHeaderIsUnsupported() throws Exception {
    Path whole = MediaFixtures.mkvH265Opus(dir, SECONDS);
    Path source = MediaFixtures.truncated(whole, dir.resolve("cut.mkv"), 100);

    assertThatThrownBy(() -> extractor.extract(source, dir.resolve("out.wav"), AudioExtractor.Listener.NONE))
        .isInstanceOfSatisfying(
            MediaException.class, e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.UNSUPPORTED_MEDIA))
        .hasMessageStartingWith("truncated or damaged Matroska/WebM file");
  }

  @Test
  void releasesNativeMemoryAcrossManyCalls() throws Exception {
    Path source = MediaFixtures.mp4H264Aac(dir, 1);
    Path out = dir.resolve("out.wav");
    for (int i = 0; i < 20; i++) {
      extractor.extract(source, out, AudioExtractor.Listener.NONE);
    }
    long javacppBefore = Pointer.totalBytes();
    long rssBefore = rssBytes();

    for (int i = 0; i < 300; i++) {
      extractor.extract(source, out, AudioExtractor.Listener.NONE);
    }

    // JavaCPP-tracked buffers are freed deterministically; decoder/demuxer contexts would show in RSS.
    assertThat(Pointer.totalBytes()).isEqualTo(javacppBefore);
    assertThat(rssBytes() - rssBefore).isLessThan(40L << 20);
  }

  private static long rssBytes() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }
}
