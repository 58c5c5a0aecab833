package io.videopipe.loudness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.storage.LocalStorage;
import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One loudness measurement per job's audio, shared by the steps that need it. */
class LoudnessStoreTest {
  @TempDir Path dir;

  @Test
  void theSecondStepReadsTheKeptMeasurementAndAChangedWavIsMeasuredAgain() throws Exception {
    LocalStorage storage = new LocalStorage(dir.resolve("store"));
    Path tone = LoudnessSignals.tone(dir, "tone.wav", 16000, 1, 440, "0.3", 4);
    Path silence = LoudnessSignals.silence(dir, "silence.wav", 4);
    Path shorter = LoudnessSignals.silence(dir, "short.wav", 3);
    URI audio = storage.jobUri("job-1", "audio/audio.wav");
    Path stored = Path.of(audio);
    Files.createDirectories(stored.getParent());
    Files.copy(tone, stored);
    LoudnessStore store = new LoudnessStore(storage, new LoudnessMeter());

    Loudness first = store.measure(audio, () -> {});
    assertThat(first.integratedLufs()).isGreaterThan(-20);
    assertThat(first.truePeakDbtp()).as("the transcription WAV's true peak is not measured").isNaN();
    assertThat(storage.size(LoudnessStore.keptUri(audio))).isPresent();

    // Same URI and size, other samples: the kept measurement is what the next step gets (it did not decode again).
    Files.copy(silence, stored, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(stored)).isEqualTo(Files.size(tone));
    Loudness second = store.measure(audio, () -> {});
    assertThat(second.integratedLufs()).isCloseTo(first.integratedLufs(), within(1e-9));
    assertThat(second.momentaryLufs()).containsExactly(first.momentaryLufs());
    assertThat(second.truePeakDbtp()).isNaN();

    // A re-extracted WAV of another size is measured again, and the kept file follows it.
    Files.copy(shorter, stored, StandardCopyOption.REPLACE_EXISTING);
    assertThat(store.measure(audio, () -> {}).integratedLufs()).isEqualTo(LoudnessMeter.FLOOR_LUFS);
    assertThat(store.measure(audio, () -> {}).durationSec()).isCloseTo(3.0, within(0.01));

    assertThatThrownBy(() -> store.measure(storage.jobUri("job-1", "audio/none.wav"), () -> {}))
        .isInstanceOf(FileNotFoundException.class);
  }
}
