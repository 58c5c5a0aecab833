package io.videopipe.bench.parakeet;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A small ONNX graph builder over the ONNX protobuf classes: nodes with generated output names, constant and random
 * initializers, and (when asked) large initializers streamed to an external data file next to the model, so a model
 * over protobuf's 2 GB limit can be written without holding its weights in memory.
 */
final class OnnxGraph implements AutoCloseable {
  /** Initializers of at least this many elements go to the external data file when there is one. */
  private static final long EXTERNAL_MIN_ELEMENTS = 1024;
  private static final int CHUNK = 1 << 20;

  private final GraphProto.Builder graph;
  private final Path dataFile;
  private final FileChannel data;
  private long dataOffset;
  private long seed;
  private int counter;

  /**
   * @param dataFile external data file for large initializers, or null to embed every initializer
   * @param seed seed of the random weights
   */
  OnnxGraph(String name, Path dataFile, long seed) throws IOException {
    this.graph = GraphProto.newBuilder().setName(name);
    this.dataFile = dataFile;
    this.data =
        dataFile == null
            ? null
            : FileChannel.open(
                dataFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    this.seed = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
  }

  // ---- inputs and outputs ----

  void input(String name, TensorProto.DataType type, Object... dims) {
    graph.addInput(info(name, type, dims));
  }

  void output(String name, TensorProto.DataType type, Object... dims) {
    graph.addOutput(info(name, type, dims));
  }

  // ---- nodes ----

  /** One node with one output; returns the output's name ({@code out} or a generated one when null). */
  String node(String op, String out, String[] inputs, AttributeProto... attributes) {
    String output = out != null ? out : op.toLowerCase(java.util.Locale.ROOT) + "_" + counter++;
    nodeN(op, new String[] {output}, inputs, attributes);
    return output;
  }

  String node(String op, String... inputs) {
    return node(op, null, inputs);
  }

  /** One node with several outputs (an empty name skips an optional one). */
  void nodeN(String op, String[] outputs, String[] inputs, AttributeProto... attributes) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + counter++);
    for (String i : inputs) {
      n.addInput(i);
    }
    for (String o : outputs) {
      n.addOutput(o);
    }
    for (AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
  }

  String fresh(String prefix) {
    return prefix + "_" + counter++;
  }

  static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  static AttributeProto attr(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  static AttributeProto attr(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  // ---- initializers ----

  /** A 1-D int64 constant. */
  String ints(long... values) {
    String name = fresh("i64");
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /** An int64 scalar. */
  String intScalar(long value) {
    String name = fresh("i64s");
    graph.addInitializer(
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(value));
    return name;
  }

  /** A float scalar. */
  String floatScalar(float value) {
    String name = fresh("f32s");
    graph.addInitializer(
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(value));
    return name;
  }

  /** A small float vector of the given values, embedded. */
  String constant(String name, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    graph.addInitializer(
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(values.length)
            .setRawData(ByteString.copyFrom(b.array())));
    return name;
  }

  /** A float tensor filled with one value. */
  String filled(String name, float value, long... dims) throws IOException {
    return floats(name, dims, () -> value);
  }

  /** A float tensor of uniform random values in {@code [-bound, bound]}. */
  String random(String name, float bound, long... dims) throws IOException {
    return floats(name, dims, () -> (nextFloat() * 2 - 1) * bound);
  }

  /** An int8 tensor of uniform random values in {@code [-127, 127]}. */
  String randomInt8(String name, long... dims) throws IOException {
    long n = elements(dims);
    TensorProto.Builder t = tensor(name, TensorProto.DataType.INT8, dims);
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(n, CHUNK));
    write(t, n, chunk, (buffer, count) -> {
      for (int i = 0; i < count; i++) {
        buffer.put((byte) ((next() >>> 33) % 255 - 127));
      }
    });
    return name;
  }

  /** An int8 scalar (a zero point). */
  String int8Scalar(byte value) {
    String name = fresh("i8s");
    graph.addInitializer(
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT8_VALUE)
            .setRawData(ByteString.copyFrom(new byte[] {value})));
    return name;
  }

  private interface FloatSource {
    float next();
  }

  private interface Filler {
    void fill(ByteBuffer buffer, int count);
  }

  private String floats(String name, long[] dims, FloatSource source) throws IOException {
    long n = elements(dims);
    TensorProto.Builder t = tensor(name, TensorProto.DataType.FLOAT, dims);
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(n, CHUNK) * 4).order(ByteOrder.LITTLE_ENDIAN);
    write(t, n, chunk, (buffer, count) -> {
      for (int i = 0; i < count; i++) {
        buffer.putFloat(source.next());
      }
    });
    return name;
  }

  private TensorProto.Builder tensor(String name, TensorProto.DataType type, long[] dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    return t;
  }

  /** Fills the tensor chunk by chunk, into the external data file (page-aligned) or into its raw data. */
  private void write(TensorProto.Builder t, long n, ByteBuffer chunk, Filler filler) throws IOException {
    int width = t.getDataType() == TensorProto.DataType.FLOAT_VALUE ? 4 : 1;
    int perChunk = chunk.capacity() / width;
    if (data != null && n >= EXTERNAL_MIN_ELEMENTS) {
      dataOffset = (dataOffset + 4095) / 4096 * 4096;
      long offset = dataOffset;
      data.position(offset);
      for (long done = 0; done < n; done += perChunk) {
        int count = (int) Math.min(perChunk, n - done);
        chunk.clear();
        filler.fill(chunk, count);
        chunk.flip();
        while (chunk.hasRemaining()) {
          data.write(chunk);
        }
      }
      long length = n * width;
      dataOffset = offset + length;
      t.setDataLocation(TensorProto.DataLocation.EXTERNAL)
          .addExternalData(entry("location", dataFile.getFileName().toString()))
          .addExternalData(entry("offset", Long.toString(offset)))
          .addExternalData(entry("length", Long.toString(length)));
    } else {
      if (n * width > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException(t.getName() + " is too large to embed: write the model with external data");
      }
      ByteString.Output raw = ByteString.newOutput((int) (n * width));
      for (long done = 0; done < n; done += perChunk) {
        int count = (int) Math.min(perChunk, n - done);
        chunk.clear();
        filler.fill(chunk, count);
        raw.write(chunk.array(), 0, chunk.position());
      }
      t.setRawData(raw.toByteString());
    }
    graph.addInitializer(t);
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  private static long elements(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  // xorshift64*: fast enough to fill 600 M weights in seconds; the values only need to be unremarkable.
  private long next() {
    seed ^= seed >>> 12;
    seed ^= seed << 25;
    seed ^= seed >>> 27;
    return seed * 0x2545F4914F6CDD1DL;
  }

  private float nextFloat() {
    return (next() >>> 40) / (float) (1 << 24);
  }

  // ---- model ----

  void writeModel(Path file, String producer) throws IOException {
    ModelProto model =
        ModelProto.newBuilder()
            .setIrVersion(8)
            .setProducerName(producer)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
            .setGraph(graph)
            .build();
    try (OutputStream out = Files.newOutputStream(file)) {
      model.writeTo(out);
    }
  }

  @Override
  public void close() throws IOException {
    if (data != null) {
      data.close();
    }
  }

  private static ValueInfoProto info(String name, TensorProto.DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Integer i) {
        dim.setDimValue(i);
      } else {
        dim.setDimParam((String) d);
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
        .build();
  }
}
