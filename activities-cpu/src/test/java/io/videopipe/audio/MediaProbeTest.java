package io.videopipe.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.pipeline.ErrorTypes;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaProbeTest {
  @TempDir Path dir;

  @Test
  void describesAnMp4() throws Exception {
    MediaInfo info = MediaProbe.probe(MediaFixtures.mp4H264Aac(dir, 2));

    assertThat(info.container()).contains("mp4");
    assertThat(info.durationSec()).isCloseTo(2, within(0.1));
    assertThat(info.bitRate()).isPositive();
    assertThat(info.video()).singleElement()
        .satisfies(
            v -> {
              assertThat(v.codec()).isEqualTo("h264");
              assertThat(v.width()).isEqualTo(320);
              assertThat(v.height()).isEqualTo(240);
              assertThat(v.fps()).isEqualTo(25.0);
            });
    assertThat(info.audio()).singleElement()
        .satisfies(
            a -> {
              assertThat(a.codec()).isEqualTo("aac");
              assertThat(a.sampleRate()).isEqualTo(48_000);
              assertThat(a.channels()).isEqualTo(2);
              assertThat(a.channelLayout()).isEqualTo("stereo");
            });
  }

  @Test
  void describesMatroskaAndWebm() throws Exception {
    MediaInfo mkv = MediaProbe.probe(MediaFixtures.mkvH265Opus(dir, 2));
    MediaInfo webm = MediaProbe.probe(MediaFixtures.webmVp9Vorbis(dir, 2));

    assertThat(mkv.container()).isEqualTo("matroska,webm");
    assertThat(mkv.video()).extracting(MediaInfo.VideoStream::codec).containsExactly("hevc");
    assertThat(mkv.audio()).extracting(MediaInfo.AudioStream::codec).containsExactly("opus");
    assertThat(webm.video()).extracting(MediaInfo.VideoStream::codec).containsExactly("vp9");
    assertThat(webm.audio()).singleElement()
        .satisfies(
            a -> {
              assertThat(a.codec()).isEqualTo("vorbis");
              assertThat(a.sampleRate()).isEqualTo(44_100);
            });
  }

  @Test
  void describesSurroundAndTelephoneAudio() throws Exception {
    MediaInfo surround = MediaProbe.probe(MediaFixtures.surround51(dir, 2));
    MediaInfo phone = MediaProbe.probe(MediaFixtures.telephone8k(dir, 2));

    assertThat(surround.audio()).singleElement()
        .satisfies(
            a -> {
              assertThat(a.channels()).isEqualTo(6);
              assertThat(a.channelLayout()).isEqualTo("5.1");
            });
    assertThat(phone.container()).isEqualTo("wav");
    assertThat(phone.video()).isEmpty();
    assertThat(phone.audio()).singleElement()
        .satisfies(
            a -> {
              assertThat(a.codec()).isEqualTo("pcm_mulaw");
              assertThat(a.sampleRate()).isEqualTo(8000);
              assertThat(a.channels()).isEqualTo(1);
            });
  }

  @Test
  void coverArtIsNotAVideoStream() throws Exception {
    MediaInfo info = MediaProbe.probe(MediaFixtures.mp3WithCover(dir, 2));

    assertThat(info.container()).isEqualTo("mp3");
    assertThat(info.video()).isEmpty();
    assertThat(info.audio()).extracting(MediaInfo.AudioStream::codec).containsExactly("mp3");
  }

  @Test
  void zeroByteFileIsUnsupported() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));

    assertThatThrownBy(() -> MediaProbe.probe(empty))
        .isInstanceOfSatisfying(
            MediaException.class, e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.UNSUPPORTED_MEDIA))
        .hasMessageStartingWith("zero-byte file");
  }

  @Test
  void textFileNamedMp4IsUnsupported() throws Exception {
    Path text = MediaFixtures.textFile(dir.resolve("video.mp4"), "this is a shopping list, not a video\n");

    assertThatThrownBy(() -> MediaProbe.probe(text))
        .isInstanceOfSatisfying(
            MediaException.class, e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.UNSUPPORTED_MEDIA))
        .hasMessage("not a media file FFmpeg can read: Invalid data found when processing input");
  }

  @Test
  void mp4WithoutItsIndexNamesTheMissingMoov() throws Exception {
    Path whole = MediaFixtures.mp4H264Aac(dir, 2);
    Path cut = MediaFixtures.truncated(whole, dir.resolve("cut.mp4"), Files.size(whole) / 2);

    assertThatThrownBy(() -> MediaProbe.probe(cut))
        .isInstanceOfSatisfying(
            MediaException.class, e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.UNSUPPORTED_MEDIA))
        .hasMessageStartingWith("truncated: the MP4/MOV file ends inside its 'mdat' box")
        .hasMessageContaining("no 'moov' index")
        .hasMessageContaining("Invalid data found when processing input");
  }

  @Test
  void missingFileIsNotAMediaError() {
    assertThatThrownBy(() -> MediaProbe.probe(dir.resolve("nope.mp4"))).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void requireAudioAcceptsAudioAndNamesWhatIsThereOtherwise() throws Exception {
    Path mp3 = MediaFixtures.mp3(dir, 1);
    Path video = MediaFixtures.videoOnlyH264(dir, 1, 320, 240);

    MediaProbe.requireAudio(mp3, MediaProbe.probe(mp3));
    assertThatThrownBy(() -> MediaProbe.requireAudio(video, MediaProbe.probe(video)))
        .isInstanceOfSatisfying(
            MediaException.class, e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.NO_AUDIO_STREAM))
        .hasMessage("no audio stream: the source has 1 video stream (h264 320x240) and nothing to transcribe");
  }
}
