package io.videopipe.loudness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.audio.MediaFixtures;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoudnessMeterTest {
  /**
   * 997 Hz sine, amplitude 0.1, mono: mean square 0.1^2 / 2 = 0.005 (-23.010 dB); the BS.1770 K-weighting gain at
   * 997 Hz is +0.691 dB, which the -0.691 constant cancels, so L = -23.01 LUFS. Its true peak is 20 log10(0.1) = -20 dBTP.
   */
  static final double SINE_997_EXPECTED_LUFS = -23.01;

  @TempDir static Path dir;
  static final LoudnessMeter meter = new LoudnessMeter();
  static Path sine997;
  static Path steps16k;

  @BeforeAll
  static void signals() {
    sine997 = LoudnessSignals.tone(dir, "sine997.wav", 48000, 1, 997, "0.1", 10);
    // 0.3 then 0.03 (20 dB quieter), 2 s of silence, then 0.1: a job-format file with gating and a loudness range
    steps16k =
        LoudnessSignals.tone(
            dir, "steps16k.wav", 16000, 1, 440, "if(lt(t,5),0.3,if(lt(t,10),0.03,if(lt(t,12),0,0.1)))", 20);
  }

  @Test
  void knownSineReadsItsComputedLoudness() throws Exception {
    Loudness l = meter.measure(sine997);

    assertThat(l.integratedLufs()).isCloseTo(SINE_997_EXPECTED_LUFS, within(0.05));
    assertThat(l.truePeakDbtp()).isCloseTo(-20.0, within(0.1));
    assertThat(l.loudnessRangeLu()).isLessThan(0.1);
    assertThat(l.durationSec()).isCloseTo(10.0, within(0.001));
    assertThat(l.momentaryStepSec()).isEqualTo(0.1);
    assertThat(l.momentaryCount()).isBetween(99, 100);
    // the first three 400 ms windows start before 0 and read the floor; every full window reads the sine
    double[] m = l.momentaryLufs();
    assertThat(Arrays.copyOfRange(m, 0, 3)).containsOnly(LoudnessMeter.FLOOR_LUFS);
    assertThat(Arrays.stream(m, 3, m.length).min().orElseThrow()).isCloseTo(SINE_997_EXPECTED_LUFS, within(0.05));
    assertThat(Arrays.stream(m, 3, m.length).max().orElseThrow()).isCloseTo(SINE_997_EXPECTED_LUFS, within(0.05));
  }

  @Test
  void agreesWithTheFfmpegCliWithin02Lu() throws Exception {
    Map<String, Path> files = new LinkedHashMap<>();
    files.put("sine997 48k mono wav", sine997);
    files.put("level steps 16k mono wav", steps16k);
    files.put("aac 44.1k stereo m4a", MediaFixtures.m4aAac(dir, 8));
    files.put("h264+aac mp4 (video file)", MediaFixtures.mp4H264Aac(dir, 6));
    files.put("5.1 aac with silent LFE", MediaFixtures.surround51(dir, 6));
    files.put("mp3", MediaFixtures.mp3(dir, 5));

    for (Map.Entry<String, Path> e : files.entrySet()) {
      Loudness ours = meter.measure(e.getValue());
      LoudnessSignals.CliReading cli = LoudnessSignals.cli(e.getValue());
      System.out.printf(
          "%-28s in-process I=%8.3f LRA=%6.3f TP=%8.3f | CLI I=%6.1f (%8.3f) LRA=%5.1f TP=%6.1f%n",
          e.getKey(), ours.integratedLufs(), ours.loudnessRangeLu(), ours.truePeakDbtp(),
          cli.integratedLufs(), cli.integratedLufsPrecise(), cli.loudnessRangeLu(), cli.truePeakDbtp());
      assertThat(ours.integratedLufs()).as(e.getKey() + " integrated").isCloseTo(cli.integratedLufs(), within(0.2));
      assertThat(ours.integratedLufs()).as(e.getKey() + " integrated, 0.001 precision")
          .isCloseTo(cli.integratedLufsPrecise(), within(0.01));
      assertThat(ours.loudnessRangeLu()).as(e.getKey() + " LRA").isCloseTo(cli.loudnessRangeLu(), within(0.2));
      assertThat(ours.truePeakDbtp()).as(e.getKey() + " true peak").isCloseTo(cli.truePeakDbtp(), within(0.2));
    }
  }

  @Test
  void momentaryValuesFollowTheSignal() throws Exception {
    Loudness l = meter.measure(steps16k);

    // the 0.3 and 0.03 stretches differ by exactly 20 dB
    assertThat(l.meanMomentaryLufs(1, 4) - l.meanMomentaryLufs(6, 9)).isCloseTo(20.0, within(0.1));
    assertThat(l.meanMomentaryLufs(10.2, 11.8)).isEqualTo(LoudnessMeter.FLOOR_LUFS);
    assertThat(l.medianMomentaryLufs(12.5, 19.5)).isCloseTo(l.meanMomentaryLufs(12.5, 19.5), within(0.05));
    assertThat(l.loudnessRangeLu()).isGreaterThan(10);
    assertThat(l.durationSec()).isCloseTo(20.0, within(0.001));
    assertThat(l.momentaryCount()).isBetween(199, 200);
  }

  @Test
  void silenceReadsTheDocumentedFloors() throws Exception {
    Path silent = LoudnessSignals.silence(dir, "silence.wav", 5);

    Loudness l = meter.measure(silent);

    assertThat(l.integratedLufs()).isEqualTo(-70.0).isEqualTo(LoudnessMeter.FLOOR_LUFS);
    assertThat(l.truePeakDbtp()).isEqualTo(LoudnessMeter.TRUE_PEAK_FLOOR_DBTP);
    assertThat(l.loudnessRangeLu()).isZero();
    assertThat(l.momentaryLufs()).isNotEmpty().containsOnly(LoudnessMeter.FLOOR_LUFS);
    assertThat(l.durationSec()).isCloseTo(5.0, within(0.001));
    // the CLI agrees: its integrated loudness of silence is the -70 LUFS absolute gate too
    assertThat(LoudnessSignals.cli(silent).integratedLufs()).isEqualTo(-70.0);
  }

  @Test
  void loudnessOnlyGivesTheSameLoudnessWithoutATruePeak() throws Exception {
    Loudness full = meter.measure(steps16k);
    Loudness only = meter.measureLoudnessOnly(steps16k, () -> {});
    assertThat(only.integratedLufs()).isEqualTo(full.integratedLufs());
    assertThat(only.loudnessRangeLu()).isEqualTo(full.loudnessRangeLu());
    assertThat(only.momentaryLufs()).containsExactly(full.momentaryLufs());
    assertThat(only.durationSec()).isEqualTo(full.durationSec());
    assertThat(full.truePeakDbtp()).isGreaterThan(-30);
    assertThat(only.truePeakDbtp()).isNaN();
  }

  @Test
  void repeatedMeasurementsAreIdentical() throws Exception {
    Loudness first = meter.measure(steps16k);
    for (int i = 0; i < 5; i++) {
      Loudness again = meter.measure(steps16k);
      assertThat(again.integratedLufs()).isEqualTo(first.integratedLufs());
      assertThat(again.momentaryLufs()).containsExactly(first.momentaryLufs());
    }
  }

  @Test
  void missingFileIsFileNotFound() {
    assertThatThrownBy(() -> meter.measure(dir.resolve("nope.wav"))).isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void unreadableOrSilentStreamsAreMeasurementExceptions() {
    Path text = MediaFixtures.textFile(dir.resolve("fake.wav"), "not audio at all");
    Path videoOnly = MediaFixtures.videoOnlyH264(dir, 2, 160, 120);

    assertThatThrownBy(() -> meter.measure(text)).isInstanceOf(LoudnessMeasurementException.class);
    assertThatThrownBy(() -> meter.measure(videoOnly))
        .isInstanceOf(LoudnessMeasurementException.class)
        .hasMessageContaining("no audio stream");
  }

  @Test
  void loudnessRecordIsImmutable() {
    double[] values = {-20, -21};
    Loudness l = new Loudness(-20, 1, -3, 0.1, values, 0.2);
    values[0] = 0;
    l.momentaryLufs()[1] = 0;

    assertThat(l.momentaryLufs()).containsExactly(-20, -21);
  }
}
