package dev.modernbert.inference.onnx;

import dev.modernbert.inference.model.InvalidModelException;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.model.OnnxModelCheck;
import dev.modernbert.inference.onnx.schema.Onnx.GraphProto;
import dev.modernbert.inference.onnx.schema.Onnx.ModelProto;
import dev.modernbert.inference.onnx.schema.Onnx.NodeProto;
import dev.modernbert.inference.onnx.schema.Onnx.OperatorSetIdProto;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites an exported encoder graph (an {@link ModelFolder.Format#EXPORTED_ONNX} folder, already checked by
 * {@code OnnxModelCheck}) with its linear layers in int8: every top-level MatMul whose second input is a 2-D float
 * initializer becomes {@link Int8Linear}'s per-token-quantized product, the rest is kept as it is. Attention's
 * MatMuls (two activations) stay fp32.
 */
final class ExportedGraphQuantizer {
  /** Generated names start with it, so they cannot meet the exporter's. */
  private static final String PREFIX = "modernbert_int8/";
  /** The operators int8 adds need opset 10 (Slice with its bounds as inputs). */
  private static final long MIN_OPSET = 10;

  private final Path folder;
  private final Int8Weights weights;
  private final Map<String, TensorProto> initializers = new HashMap<>();
  private final Map<String, Integer> uses = new HashMap<>();

  private ExportedGraphQuantizer(Path folder, Int8Weights weights, GraphProto graph) {
    this.folder = folder;
    this.weights = weights;
    graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
    countUses(graph);
  }

  /**
   * Writes the int8 graph of {@code folder}'s {@code model.onnx}, its weights stored as {@code weights}, into
   * {@code dir} (graph + external data).
   */
  static void quantizeInto(ModelFolder folder, Int8Weights weights, Path dir) throws IOException {
    ModelProto model;
    try (InputStream in = Files.newInputStream(folder.dir().resolve(ModelFolder.EXPORTED_GRAPH))) {
      model = ModelProto.parseFrom(in);
    }
    long opset = defaultOpset(model);
    if (opset < MIN_OPSET) {
      throw new InvalidModelException(folder.dir().getFileName() + ": int8 needs a graph of opset " + MIN_OPSET
          + " or later; " + ModelFolder.EXPORTED_GRAPH + " has " + opset);
    }
    ModelProto.Builder out = model.toBuilder().clearGraph().clearOpsetImport();
    model.getOpsetImportList().stream().filter(o -> !o.getDomain().equals("com.microsoft"))
        .forEach(out::addOpsetImport);
    out.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1));
    try (OutputStream data = new BufferedOutputStream(
        Files.newOutputStream(dir.resolve(CompiledModelCache.DATA_FILE)), 1 << 20)) {
      ExternalData external = new ExternalData(CompiledModelCache.DATA_FILE, data);
      GraphProto graph = model.getGraph();
      out.setGraph(new ExportedGraphQuantizer(folder.dir(), weights, graph).rewrite(graph, opset, external));
    }
    try (OutputStream graphOut = new BufferedOutputStream(
        Files.newOutputStream(dir.resolve(CompiledModelCache.GRAPH_FILE)))) {
      out.build().writeTo(graphOut);
    }
  }

  private static long defaultOpset(ModelProto model) {
    return model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
        .mapToLong(OperatorSetIdProto::getVersion).findFirst().orElse(0);
  }

  /** How many nodes (in any subgraph too) read each value. */
  private void countUses(GraphProto graph) {
    for (NodeProto n : graph.getNodeList()) {
      n.getInputList().forEach(i -> uses.merge(i, 1, Integer::sum));
      n.getAttributeList().stream().filter(a -> a.hasG()).forEach(a -> countUses(a.getG()));
      n.getAttributeList().forEach(a -> a.getGraphsList().forEach(this::countUses));
    }
    graph.getOutputList().forEach(o -> uses.merge(o.getName(), 1, Integer::sum));
  }

  private GraphProto rewrite(GraphProto graph, long opset, ExternalData external) throws IOException {
    OnnxGraphBuilder g = OnnxGraphBuilder.rewriting(graph, opset, PREFIX, external);
    Set<String> dropped = new HashSet<>();
    for (NodeProto n : graph.getNodeList()) {
      TensorProto w = linearWeight(n);
      if (w == null) {
        g.node(n);
        continue;
      }
      int in = (int) w.getDims(0);
      int out = (int) w.getDims(1);
      String y = Int8Linear.matMul(g, Int8Linear.quantizeRows(g, n.getInput(0), in), PREFIX + w.getName(),
          floats(w, in * out), in, out, weights);
      g.alias(y, n.getOutput(0));
      dropped.add(w.getName());
    }
    for (TensorProto t : graph.getInitializerList()) {
      if (dropped.contains(t.getName())) {
        continue;
      }
      if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
        g.initializer(t);
        continue;
      }
      TensorProto.DataType type = TensorProto.DataType.forNumber(t.getDataType());
      if (type == null) {
        throw invalid(t, "has unknown data type " + t.getDataType());
      }
      g.initializer(external.tensor(t.getName(), type, dimsOf(t), externalBytes(t, -1)));
    }
    return g.graph();
  }

  /**
   * The weight of a linear layer: a MatMul's second input when it is a 2-D float initializer that nothing else
   * reads; else null.
   */
  private TensorProto linearWeight(NodeProto n) {
    if (!n.getOpType().equals("MatMul") || !n.getDomain().isEmpty() || n.getInputCount() != 2) {
      return null;
    }
    TensorProto w = initializers.get(n.getInput(1));
    if (w == null || initializers.containsKey(n.getInput(0)) || uses.get(w.getName()) != 1
        || w.getDataType() != TensorProto.DataType.FLOAT_VALUE || w.getDimsCount() != 2) {
      return null;
    }
    long in = w.getDims(0);
    long out = w.getDims(1);
    return in >= 1 && out >= 1 && in * out <= Integer.MAX_VALUE / 4 ? w : null;
  }

  /** A float initializer's {@code count} values, whichever way it stores them. */
  private float[] floats(TensorProto t, int count) throws IOException {
    float[] values = new float[count];
    if (t.getFloatDataCount() > 0) {
      if (t.getFloatDataCount() != count) {
        throw invalid(t, "holds " + t.getFloatDataCount() + " floats for " + count + " elements");
      }
      for (int i = 0; i < count; i++) {
        values[i] = t.getFloatData(i);
      }
      return values;
    }
    byte[] raw = t.getDataLocation() == TensorProto.DataLocation.EXTERNAL ? externalBytes(t, 4L * count)
        : t.getRawData().toByteArray();
    if (raw.length != 4L * count) {
      throw invalid(t, "holds " + raw.length + " bytes for " + count + " floats");
    }
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  /**
   * The bytes an initializer keeps in an external file of the folder ({@code expected} of them, or any number
   * when negative), where {@link OnnxModelCheck#externalRange} says they lie; under 2 GiB.
   */
  private byte[] externalBytes(TensorProto t, long expected) throws IOException {
    OnnxModelCheck.ExternalRange range = OnnxModelCheck.externalRange(folder, ModelFolder.EXPORTED_GRAPH, t);
    long n = range.length();
    if (n > Integer.MAX_VALUE - 8 || expected >= 0 && n != expected) {
      throw invalid(t, "external data of " + n + " bytes" + (expected >= 0 ? " where its shape needs " + expected
          : " is over 2 GiB"));
    }
    ByteBuffer b = ByteBuffer.allocate((int) n);
    try (FileChannel c = FileChannel.open(range.file())) {
      int read;
      do {
        read = c.read(b, range.offset() + b.position());
      } while (read > 0 && b.hasRemaining());
    }
    return b.array();
  }

  private static long[] dimsOf(TensorProto t) {
    return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
  }

  private InvalidModelException invalid(TensorProto t, String what) {
    return new InvalidModelException(folder.getFileName() + ": " + ModelFolder.EXPORTED_GRAPH + " initializer "
        + t.getName() + " " + what);
  }
}
