package io.videopipe.parakeet;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Parakeet-TDT ONNX export (istupakov/parakeet-tdt-0.6b-v2-onnx layout), validated and loaded once per worker:
 * the encoder and decoder+joint sessions on the CUDA execution provider when there is one, else on the CPU.
 */
public final class ParakeetModel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ParakeetModel.class);

  public static final String ENCODER = "encoder-model.onnx";
  public static final String DECODER_JOINT = "decoder_joint-model.onnx";
  public static final String ENCODER_INT8 = "encoder-model.int8.onnx";
  public static final String DECODER_JOINT_INT8 = "decoder_joint-model.int8.onnx";
  public static final String VOCAB = "vocab.txt";
  public static final String CONFIG = "config.json";
  public static final int DURATIONS = 5;
  static final List<String> ENCODER_INPUTS = List.of("audio_signal", "length");
  static final List<String> ENCODER_OUTPUTS = List.of("outputs", "encoded_lengths");
  static final List<String> DECODER_INPUTS =
      List.of("encoder_outputs", "targets", "target_length", "input_states_1", "input_states_2");
  static final List<String> DECODER_OUTPUTS = List.of("outputs", "output_states_1", "output_states_2");

  /**
   * @param int8 load the int8 variants (for CPU; slow on the CUDA EP, which has no int8 kernels)
   * @param cuda ask for the CUDA execution provider; falls back to the CPU one when unavailable
   * @param deviceId CUDA device
   * @param intraOpThreads CPU threads per session, 0 for ONNX Runtime's default
   */
  public record Options(boolean int8, boolean cuda, int deviceId, int intraOpThreads) {
    public static Options cpu() {
      return new Options(false, false, 0, 0);
    }
  }

  /** Encoder output of one batch: {@code values} is [B, dim, frames] row-major. */
  record Encoded(float[] values, int batch, int dim, int frames, long[] lengths) {}

  private final OrtEnvironment env;
  private final OrtSession encoder;
  private final OrtSession decoderJoint;
  private final Vocabulary vocabulary;
  private final int encoderDim;
  private final int stateLayers;
  private final int stateDim;
  private final double frameSec;
  private final OptionalInt cudaDevice;

  private ParakeetModel(
      OrtEnvironment env,
      OrtSession encoder,
      OrtSession decoderJoint,
      Vocabulary vocabulary,
      int encoderDim,
      int stateLayers,
      int stateDim,
      double frameSec,
      OptionalInt cudaDevice) {
    this.env = env;
    this.encoder = encoder;
    this.decoderJoint = decoderJoint;
    this.vocabulary = vocabulary;
    this.encoderDim = encoderDim;
    this.stateLayers = stateLayers;
    this.stateDim = stateDim;
    this.frameSec = frameSec;
    this.cudaDevice = cudaDevice;
  }

  /** Validates the directory and loads both sessions; every problem is an {@link InvalidModelException}. */
  public static ParakeetModel load(Path dir, Options options) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidModelException("Parakeet model directory " + dir + " does not exist");
    }
    Path encoderFile = dir.resolve(options.int8() ? ENCODER_INT8 : ENCODER);
    Path decoderFile = dir.resolve(options.int8() ? DECODER_JOINT_INT8 : DECODER_JOINT);
    for (Path required : List.of(encoderFile, decoderFile, dir.resolve(VOCAB), dir.resolve(CONFIG))) {
      if (!Files.isRegularFile(required)) {
        throw new InvalidModelException(
            "Parakeet model directory "
                + dir
                + " has no "
                + required.getFileName()
                + " (expected "
                + encoderFile.getFileName()
                + ", "
                + decoderFile.getFileName()
                + ", "
                + VOCAB
                + ", "
                + CONFIG
                + "; scripts/fetch-parakeet-model.sh downloads them)");
      }
    }
    Vocabulary vocabulary;
    double frameSec;
    try {
      vocabulary = Vocabulary.read(dir.resolve(VOCAB));
      frameSec = frameSec(dir.resolve(CONFIG));
    } catch (IOException e) {
      throw new InvalidModelException("cannot read the Parakeet model in " + dir + ": " + e.getMessage(), e);
    }
    if (options.int8() && options.cuda()) {
      log.warn("int8 Parakeet on the CUDA execution provider is slow (no int8 kernels): use fp32 on a GPU");
    }

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession encoder = null;
    OrtSession decoder = null;
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      OptionalInt cudaDevice = configureProvider(so, options.cuda(), options.deviceId(), "Parakeet");
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      encoder = session(env, encoderFile, so);
      decoder = session(env, decoderFile, so);
      checkNames(encoderFile, "inputs", encoder.getInputNames(), ENCODER_INPUTS);
      checkNames(encoderFile, "outputs", encoder.getOutputNames(), ENCODER_OUTPUTS);
      checkNames(decoderFile, "inputs", decoder.getInputNames(), DECODER_INPUTS);
      checkNames(decoderFile, "outputs", decoder.getOutputNames(), DECODER_OUTPUTS);
      Map<String, NodeInfo> encIn = encoder.getInputInfo();
      long[] audioShape = tensor(encoderFile, "audio_signal", encIn, OnnxJavaType.FLOAT).getShape();
      if (audioShape.length != 3 || (audioShape[1] >= 0 && audioShape[1] != MelFrontend.N_MELS)) {
        throw new InvalidModelException(
            encoderFile.getFileName() + ": input 'audio_signal' has shape " + Arrays.toString(audioShape)
                + ", expected [batch, " + MelFrontend.N_MELS + ", frames]");
      }
      tensor(encoderFile, "length", encIn, OnnxJavaType.INT64);
      Map<String, NodeInfo> decIn = decoder.getInputInfo();
      long[] encShape = tensor(decoderFile, "encoder_outputs", decIn, OnnxJavaType.FLOAT).getShape();
      long[] stateShape = tensor(decoderFile, "input_states_1", decIn, OnnxJavaType.FLOAT).getShape();
      tensor(decoderFile, "input_states_2", decIn, OnnxJavaType.FLOAT);
      tensor(decoderFile, "targets", decIn, OnnxJavaType.INT32);
      tensor(decoderFile, "target_length", decIn, OnnxJavaType.INT32);
      if (encShape.length != 3 || encShape[1] <= 0) {
        throw new InvalidModelException(
            decoderFile.getFileName() + ": input 'encoder_outputs' has shape " + Arrays.toString(encShape)
                + ", expected [batch, channels, 1] with a fixed channel count");
      }
      if (stateShape.length != 3 || stateShape[0] <= 0 || stateShape[2] <= 0) {
        throw new InvalidModelException(
            decoderFile.getFileName() + ": input 'input_states_1' has shape " + Arrays.toString(stateShape)
                + ", expected [layers, batch, hidden] with fixed layers and hidden size");
      }
      ParakeetModel model =
          new ParakeetModel(
              env, encoder, decoder, vocabulary, (int) encShape[1], (int) stateShape[0], (int) stateShape[2],
              frameSec, cudaDevice);
      model.checkJointWidth(decoderFile);
      log.info(
          "Parakeet model {} loaded on {}: {} tokens, encoder dim {}, decoder state {}x{}{}",
          dir, providerName(cudaDevice), vocabulary.size(), model.encoderDim, model.stateLayers, model.stateDim,
          options.int8() ? ", int8" : "");
      return model;
    } catch (OrtException e) {
      closeQuietly(encoder);
      closeQuietly(decoder);
      throw new InvalidModelException("cannot load the Parakeet model in " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(encoder);
      closeQuietly(decoder);
      throw e;
    }
  }

  /**
   * Adds the CUDA execution provider to {@code so} when asked and available; otherwise the session stays on the CPU and
   * the log says why ({@code what} names the model in that line).
   *
   * @return the CUDA device the session will run on, empty for the CPU
   */
  static OptionalInt configureProvider(OrtSession.SessionOptions so, boolean cuda, int deviceId, String what)
      throws OrtException {
    if (cuda) {
      if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
        try {
          so.addCUDA(deviceId);
          return OptionalInt.of(deviceId);
        } catch (OrtException e) {
          log.warn("CUDA execution provider failed on device {} ({}): {} runs on the CPU", deviceId, e.getMessage(),
              what);
        }
      } else {
        log.warn(
            "no CUDA execution provider in this ONNX Runtime (providers {}; build with -Pgpu for onnxruntime_gpu): "
                + "{} runs on the CPU",
            OrtEnvironment.getAvailableProviders(), what);
      }
    }
    return OptionalInt.empty();
  }

  /** "CUDA device N" or "CPU", for logs and reports. */
  static String providerName(OptionalInt cudaDevice) {
    return cudaDevice.isPresent() ? "CUDA device " + cudaDevice.getAsInt() : "CPU";
  }

  private static OrtSession session(OrtEnvironment env, Path file, OrtSession.SessionOptions so) {
    try {
      return env.createSession(file.toString(), so);
    } catch (OrtException e) {
      throw new InvalidModelException(file.getFileName() + " is not a loadable ONNX model: " + e.getMessage(), e);
    }
  }

  private static void checkNames(Path file, String kind, java.util.Set<String> actual, List<String> expected) {
    if (!actual.containsAll(expected)) {
      throw new InvalidModelException(
          file.getFileName() + ": " + kind + " are " + new java.util.TreeSet<>(actual) + ", expected " + expected);
    }
  }

  private static TensorInfo tensor(Path file, String name, Map<String, NodeInfo> infos, OnnxJavaType type) {
    if (!(infos.get(name).getInfo() instanceof TensorInfo info) || info.type != type) {
      throw new InvalidModelException(
          file.getFileName() + ": '" + name + "' is " + infos.get(name).getInfo() + ", expected a " + type
              + " tensor");
    }
    return info;
  }

  /** One decoder step on zeros: the logits must be the vocabulary's tokens plus the durations. */
  private void checkJointWidth(Path decoderFile) throws OrtException {
    try (TdtDecoder.Step step = new TdtDecoder(this, 1).probe()) {
      int width = step.logits().length;
      if (width != vocabulary.size() + DURATIONS) {
        throw new InvalidModelException(
            decoderFile.getFileName() + ": the joint outputs " + width + " logits, expected "
                + (vocabulary.size() + DURATIONS) + " = " + vocabulary.size() + " tokens of " + VOCAB
                + " + " + DURATIONS + " durations");
      }
    }
  }

  private static double frameSec(Path config) throws IOException {
    JsonNode json = new ObjectMapper().readTree(config.toFile());
    if (json == null || !json.isObject()) {
      throw new InvalidModelException(config + " is not a JSON object");
    }
    int features = json.path("features_size").asInt(MelFrontend.N_MELS);
    if (features != MelFrontend.N_MELS) {
      throw new InvalidModelException(
          config + ": features_size is " + features + ", this frontend computes " + MelFrontend.N_MELS);
    }
    String type = json.path("model_type").asText("nemo-conformer-tdt");
    if (!type.contains("tdt")) {
      throw new InvalidModelException(config + ": model_type is '" + type + "', expected a TDT model");
    }
    return json.path("subsampling_factor").asInt(8) * (double) MelFrontend.HOP / MelFrontend.SAMPLE_RATE;
  }

  /** Runs the encoder on {@code features} [batch, 128, frames] with the valid frame counts of each item. */
  Encoded encode(float[] features, int batch, int frames, long[] lengths) throws OrtException {
    try (OnnxTensor audio =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(features), new long[] {batch, MelFrontend.N_MELS, frames});
        OnnxTensor length = OnnxTensor.createTensor(env, LongBuffer.wrap(lengths), new long[] {batch});
        OrtSession.Result r = encoder.run(Map.of("audio_signal", audio, "length", length))) {
      OnnxTensor out = (OnnxTensor) r.get("outputs").orElseThrow();
      OnnxTensor lens = (OnnxTensor) r.get("encoded_lengths").orElseThrow();
      long[] shape = out.getInfo().getShape();
      if (shape.length != 3 || shape[0] != batch || shape[1] != encoderDim) {
        throw new IllegalStateException(
            "encoder output has shape " + Arrays.toString(shape) + ", expected [" + batch + ", " + encoderDim
                + ", frames]");
      }
      float[] values = new float[(int) (shape[0] * shape[1] * shape[2])];
      out.getFloatBuffer().get(values);
      long[] encodedLengths = new long[batch];
      LongBuffer lb = lens.getLongBuffer();
      for (int b = 0; b < batch; b++) {
        encodedLengths[b] = Math.min(shape[2], lb.get(b));
      }
      return new Encoded(values, batch, encoderDim, (int) shape[2], encodedLengths);
    }
  }

  OrtEnvironment env() {
    return env;
  }

  OrtSession decoderJoint() {
    return decoderJoint;
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  int encoderDim() {
    return encoderDim;
  }

  int stateLayers() {
    return stateLayers;
  }

  int stateDim() {
    return stateDim;
  }

  /** Seconds per encoder frame: subsampling 8 x 10 ms. */
  public double frameSec() {
    return frameSec;
  }

  /** "CUDA device N" or "CPU". */
  public String provider() {
    return providerName(cudaDevice);
  }

  /** The CUDA device the sessions run on; empty on the CPU (also when CUDA was asked for but unavailable). */
  public OptionalInt cudaDevice() {
    return cudaDevice;
  }

  @Override
  public void close() {
    closeQuietly(encoder);
    closeQuietly(decoderJoint);
  }

  private static void closeQuietly(OrtSession s) {
    if (s != null) {
      try {
        s.close();
      } catch (OrtException e) {
        log.warn("closing an ONNX session failed", e);
      }
    }
  }
}
