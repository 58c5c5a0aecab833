package io.videopipe.parakeet;

import static io.videopipe.parakeet.SyntheticParakeet.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.videopipe.parakeet.TdtDecoder.Token;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.Word;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Greedy TDT decoding against the synthetic model whose joint follows a known script. */
@Timeout(120)
class ParakeetDecodingTest {
  @TempDir Path dir;

  /** 16 encoder frames (128 feature frames) of any sound: the synthetic encoder only numbers the frames. */
  static ParakeetModel.Encoded encode(ParakeetModel model, int featureFrames) throws Exception {
    float[] features = new float[MelFrontend.N_MELS * featureFrames];
    return model.encode(features, 1, featureFrames, new long[] {featureFrames});
  }

  @Test
  void decodesTheDesignedTokensWithSeveralPerFrameDurationSkipsAndBlanks() throws Exception {
    try (ParakeetModel model = ParakeetModel.load(writeDesigned(dir), ParakeetModel.Options.cpu())) {
      ParakeetModel.Encoded enc = encode(model, 128);
      assertThat(enc.frames()).isEqualTo(16);
      assertThat(enc.lengths()).containsExactly(16);

      List<Token> tokens = new TdtDecoder(model, 10).decode(enc.values(), 0, enc.frames(), 16);

      assertThat(tokens).extracting(Token::id).containsExactly(THE, PIP, E, LINE, WORKS);
      assertThat(tokens).extracting(Token::frame).containsExactly(1, 3, 3, 3, 8);
      assertThat(tokens).extracting(Token::duration).containsExactly(0, 0, 0, 1, 3);
      float[] logits = {6f, 7f, 5f, 9f, 4f};
      for (int i = 0; i < tokens.size(); i++) {
        assertThat((double) tokens.get(i).confidence()).isCloseTo(confidence(logits[i]), within(1e-5));
      }

      List<Word> words = ParakeetEngine.words(tokens, model.vocabulary(), 10.0, model.frameSec());
      assertThat(words).extracting(Word::text).containsExactly("the", "pipeline", "works");
      assertThat(words).extracting(Word::start).containsExactly(10.08, 10.24, 10.64);
      assertThat(words.get(0).end()).isCloseTo(10.16, within(1e-9));
      assertThat(words.get(1).end()).isCloseTo(10.32, within(1e-9));
      assertThat(words.get(2).end()).isCloseTo(10.88, within(1e-9));
      assertThat(words.get(1).confidence())
          .isCloseTo((confidence(7f) + confidence(5f) + confidence(9f)) / 3, within(1e-5));
    }
  }

  @Test
  void aDecoderThatDropsStatesOrIgnoresDurationsDoesNotGetTheDesignedTokens() throws Exception {
    try (ParakeetModel model = ParakeetModel.load(writeDesigned(dir), ParakeetModel.Options.cpu())) {
      ParakeetModel.Encoded enc = encode(model, 128);
      assertThat(flawed(model, enc, true, true)).containsExactly(THE, PIP, E, LINE, WORKS);
      assertThat(flawed(model, enc, false, true)).isNotEqualTo(List.of(THE, PIP, E, LINE, WORKS)).contains(BAD);
      assertThat(flawed(model, enc, true, false)).isNotEqualTo(List.of(THE, PIP, E, LINE, WORKS)).contains(TRAP);
    }
  }

  @Test
  void theEmissionCapMovesOnFromAFrameThatNeverEmitsBlank() throws Exception {
    try (ParakeetModel model = ParakeetModel.load(writeCapped(dir), ParakeetModel.Options.cpu())) {
      ParakeetModel.Encoded enc = encode(model, 64);
      List<Token> tokens = new TdtDecoder(model, 10).decode(enc.values(), 0, enc.frames(), 8);
      assertThat(tokens).hasSize(10).allSatisfy(t -> assertThat(t.frame()).isZero());
      assertThat(new TdtDecoder(model, 5).decode(enc.values(), 0, enc.frames(), 8)).hasSize(5);
    }
  }

  @Test
  void batchedDecodingGivesEachSegmentWhatThePerSegmentLoopGives() throws Exception {
    // Channel 0 of a frame picks the script's row: random rows give each segment its own mix of emissions, multi-token
    // frames, duration skips, trap and bad rows. Lengths differ, so segments finish at different steps of the batch.
    int[] lengths = {16, 3, 29, 12, 1, 22, 7};
    java.util.Random random = new java.util.Random(17);
    int tmax = lengths[2];
    int n = lengths.length;
    float[] batch = new float[n * DIM * tmax];
    List<TdtDecoder.Segment> segments = new ArrayList<>();
    List<ParakeetModel.Encoded> alone = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      float[] own = new float[DIM * lengths[b]];
      for (int t = 0; t < lengths[b]; t++) {
        // Three segments follow the designed frame numbering (the script's words, cut short by two), four jump around.
        float v = b == 0 || b == 4 || b == 6 ? t : random.nextInt(14);
        batch[b * DIM * tmax + t] = v;
        own[t] = v;
      }
      segments.add(new TdtDecoder.Segment(batch, b * DIM * tmax, tmax, lengths[b]));
      alone.add(new ParakeetModel.Encoded(own, 1, DIM, lengths[b], new long[] {lengths[b]}));
    }
    try (ParakeetModel model = ParakeetModel.load(writeDesigned(dir), ParakeetModel.Options.cpu())) {
      TdtDecoder decoder = new TdtDecoder(model, 10);
      List<List<Token>> batched = decoder.decode(segments);
      assertThat(batched).hasSize(n);
      for (int b = 0; b < n; b++) {
        ParakeetModel.Encoded e = alone.get(b);
        List<Token> single = decoder.decode(e.values(), 0, e.frames(), e.frames());
        assertThat(batched.get(b)).as("segment %d", b).isEqualTo(single);
        assertThat(batched.get(b)).extracting(Token::id).as("segment %d", b).isEqualTo(flawed(model, e, true, true));
      }
      assertThat(batched.get(0)).extracting(Token::id).containsExactly(THE, PIP, E, LINE, WORKS);
      assertThat(batched.get(4)).isEmpty(); // one frame: blank with duration 0 still advances
      assertThat(batched.stream().map(tokens -> tokens.stream().map(Token::id).toList()).distinct()).hasSize(n);
    }
  }

  @Test
  void batchedDecodingHonoursTheEmissionCapPerSegment() throws Exception {
    try (ParakeetModel model = ParakeetModel.load(writeCapped(dir), ParakeetModel.Options.cpu())) {
      // Frame value 0 emits "the" until the cap, value 1 is blank: segment 1 stays on frame 0 twice.
      float[] a = new float[DIM * 3];
      float[] b = new float[DIM * 4];
      a[0] = 1;
      a[1] = 0;
      a[2] = 1;
      b[0] = 0;
      b[1] = 0;
      b[2] = 1;
      b[3] = 1;
      List<List<Token>> tokens =
          new TdtDecoder(model, 3)
              .decode(List.of(new TdtDecoder.Segment(a, 0, 3, 3), new TdtDecoder.Segment(b, 0, 4, 4)));
      assertThat(tokens.get(0)).extracting(Token::frame).containsExactly(1, 1, 1);
      assertThat(tokens.get(1)).extracting(Token::frame).containsExactly(0, 0, 0, 1, 1, 1);
    }
  }

  @Test
  void theEngineTranscribesEachSpeechSegmentOnTheSourceTimeline() throws Exception {
    ParakeetEngine.Settings settings =
        new ParakeetEngine.Settings(writeDesigned(dir), ParakeetModel.Options.cpu(), 20, 2);
    float[] audio = Pcm16Wav.read(SileroVadTest.SAMPLE);
    try (ParakeetEngine engine = ParakeetEngine.load(settings)) {
      List<SileroVad.Span> spans;
      try (SileroVad vad = new SileroVad(engine.model().env(), SileroVad.Chunking.defaults(), OptionalInt.empty())) {
        spans = vad.speech(audio, SileroVad.Settings.defaults(20));
      }
      List<Double> progress = new CopyOnWriteArrayList<>();
      Transcript t =
          engine.transcribe(Files.copy(SileroVadTest.SAMPLE, dir.resolve("a.wav")), "en", progress::add);

      assertThat(t.engine()).isEqualTo("parakeet");
      assertThat(t.durationSec()).isCloseTo(audio.length / 16000.0, within(1e-9));
      assertThat(t.text()).isEqualTo("the pipeline works the pipeline works the pipeline works");
      for (int i = 0; i < 3; i++) {
        double offset = spans.get(i).start() / 16000.0;
        assertThat(t.words().get(3 * i).start()).isCloseTo(offset + 0.08, within(1e-9));
        assertThat(t.words().get(3 * i + 2).end()).isCloseTo(offset + 0.88, within(1e-9));
      }
      // Three segments in batches of two: progress after each batch.
      assertThat(progress).containsSubsequence(2.0 / 3, 1.0);
    }
  }

  @Test
  void anInterruptStopsTheTranscriptionBetweenBatches() throws Exception {
    ParakeetEngine.Settings settings =
        new ParakeetEngine.Settings(writeDesigned(dir), ParakeetModel.Options.cpu(), 20, 1);
    float[] audio = Pcm16Wav.read(SileroVadTest.SAMPLE);
    try (ParakeetEngine engine = ParakeetEngine.load(settings)) {
      List<Double> progress = new ArrayList<>();
      assertThatThrownBy(
              () ->
                  engine.transcribe(
                      audio,
                      "en",
                      f -> {
                        progress.add(f);
                        Thread.currentThread().interrupt();
                      }))
          .isInstanceOf(InterruptedException.class);
      assertThat(progress).containsExactly(1.0 / 3);
    }
  }

  /** A decoder loop that may drop the states (always zeros) or ignore durations (advance one frame after a blank). */
  static List<Integer> flawed(ParakeetModel model, ParakeetModel.Encoded enc, boolean keepStates, boolean durations)
      throws Exception {
    var env = model.env();
    int vocab = model.vocabulary().size();
    float[] zeros = new float[2 * HIDDEN];
    float[] s1 = zeros.clone();
    float[] s2 = zeros.clone();
    List<Integer> out = new ArrayList<>();
    int prev = BLANK;
    int t = 0;
    int here = 0;
    while (t < enc.frames() && out.size() < 400) {
      float[] frame = new float[DIM];
      for (int c = 0; c < DIM; c++) {
        frame[c] = enc.values()[c * enc.frames() + t];
      }
      try (OnnxTensor f = OnnxTensor.createTensor(env, FloatBuffer.wrap(frame), new long[] {1, DIM, 1});
          OnnxTensor tg = OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {prev}), new long[] {1, 1});
          OnnxTensor tl = OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {1}), new long[] {1});
          OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(s1), new long[] {2, 1, HIDDEN});
          OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(s2), new long[] {2, 1, HIDDEN});
          OrtSession.Result r =
              model.decoderJoint().run(Map.of("encoder_outputs", f, "targets", tg, "target_length", tl,
                  "input_states_1", a, "input_states_2", b))) {
        float[] logits = new float[vocab + 5];
        ((OnnxTensor) r.get(0)).getFloatBuffer().get(logits);
        int token = TdtDecoder.argmax(logits, 0, vocab);
        int duration = TdtDecoder.argmax(logits, vocab, vocab + 5) - vocab;
        if (token != BLANK) {
          out.add(token);
          prev = token;
          if (keepStates) {
            ((OnnxTensor) r.get(1)).getFloatBuffer().get(s1);
            ((OnnxTensor) r.get(2)).getFloatBuffer().get(s2);
          }
          here++;
        }
        int step = durations ? duration : (token == BLANK ? 1 : 0);
        if (step > 0) {
          t += step;
          here = 0;
        } else if (token == BLANK || here >= 10) {
          t++;
          here = 0;
        }
      }
    }
    return out;
  }
}
