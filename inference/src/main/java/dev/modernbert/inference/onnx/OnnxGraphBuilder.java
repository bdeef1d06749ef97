package dev.modernbert.inference.onnx;

import com.google.protobuf.ByteString;
import dev.modernbert.inference.onnx.schema.Onnx.AttributeProto;
import dev.modernbert.inference.onnx.schema.Onnx.GraphProto;
import dev.modernbert.inference.onnx.schema.Onnx.ModelProto;
import dev.modernbert.inference.onnx.schema.Onnx.NodeProto;
import dev.modernbert.inference.onnx.schema.Onnx.OperatorSetIdProto;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import dev.modernbert.inference.onnx.schema.Onnx.TensorShapeProto;
import dev.modernbert.inference.onnx.schema.Onnx.TypeProto;
import dev.modernbert.inference.onnx.schema.Onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Emits an ONNX graph node by node: each call adds one operator and returns the name of its output, so a
 * model reads like the math it computes. Large initializers go to an {@link ExternalData} file.
 */
public final class OnnxGraphBuilder {
  /**
   * Default-domain opset: LayerNormalization (17) and Split's num_outputs (18) are needed; 19 keeps the graph
   * loadable by older runtimes (ml-commons' ONNX Runtime 1.16 stops at 19).
   */
  public static final int OPSET = 19;
  public static final int IR_VERSION = 9;

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final ExternalData external;
  private final Map<String, Integer> counters;
  private final Map<String, String> constants = new HashMap<>();
  /** The default-domain opset the graph is written for. */
  private final long opset;
  /** Put before every generated name, so that names added to someone else's graph cannot meet theirs. */
  private final String namePrefix;

  /** A builder whose float initializers above {@link ExternalData#INLINE_LIMIT} bytes go to {@code external}. */
  public OnnxGraphBuilder(String name, ExternalData external) {
    this(name, external, new HashMap<>(), OPSET, "");
  }

  private OnnxGraphBuilder(String name, ExternalData external, Map<String, Integer> counters, long opset,
      String namePrefix) {
    graph.setName(name);
    this.external = external;
    this.counters = counters;
    this.opset = opset;
    this.namePrefix = namePrefix;
  }

  /**
   * A builder that rewrites {@code base} (a graph of default-domain {@code opset}): it starts with its name,
   * inputs, outputs and value infos, and no nodes or initializers; generated names start with
   * {@code namePrefix}.
   */
  static OnnxGraphBuilder rewriting(GraphProto base, long opset, String namePrefix, ExternalData external) {
    OnnxGraphBuilder b = new OnnxGraphBuilder(base.getName(), external, new HashMap<>(), opset, namePrefix);
    b.graph.addAllInput(base.getInputList()).addAllOutput(base.getOutputList())
        .addAllValueInfo(base.getValueInfoList());
    return b;
  }

  /** Appends {@code node} as it is. */
  void node(NodeProto node) {
    graph.addNode(node);
  }

  /** Adds {@code initializer} as it is. */
  void initializer(TensorProto initializer) {
    graph.addInitializer(initializer);
  }

  /** Makes {@code value} available under {@code name} as well (an Identity, which ONNX Runtime removes). */
  void alias(String value, String name) {
    op("Identity", new String[] {value}, name, Map.of());
  }

  /**
   * A builder for a subgraph (an {@code If} branch): names stay unique across both, and the subgraph may use
   * any value of this graph defined before it.
   */
  public OnnxGraphBuilder subgraph(String name) {
    return new OnnxGraphBuilder(fresh(name), external, counters, opset, namePrefix);
  }

  /** A fresh name for a subgraph's output. */
  public String subgraphOutput() {
    return fresh(graph.getName() + "_out");
  }

  /** The graph built so far, for use as a subgraph attribute. */
  public GraphProto graph() {
    return graph.build();
  }

  /** Declares a graph input of element type {@code elemType} with symbolic or fixed dims. */
  public String input(String name, TensorProto.DataType elemType, Object... dims) {
    graph.addInput(valueInfo(name, elemType, dims));
    return name;
  }

  /** Declares {@code value} as a graph output named {@code name}. */
  public void output(String value, String name, TensorProto.DataType elemType, Object... dims) {
    if (!value.equals(name)) {
      op("Identity", new String[] {value}, name, Map.of());
    }
    graph.addOutput(valueInfo(name, elemType, dims));
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType elemType, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) {
        dim.setDimParam(s);
      } else {
        dim.setDimValue(((Number) d).longValue());
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(
            TypeProto.Tensor.newBuilder().setElemType(elemType.getNumber()).setShape(shape)))
        .build();
  }

  /** Adds {@code opType(inputs) -> one output} with attributes (Integer/Long, Float, long[], String). */
  public String op(String opType, String[] inputs, Map<String, Object> attributes) {
    return op(opType, inputs, fresh(opType), attributes);
  }

  /** Shorthand for an operator without attributes. */
  public String op(String opType, String... inputs) {
    return op(opType, inputs, Map.of());
  }

  /** Adds an operator of the {@code com.microsoft} contrib domain; empty input names skip optional inputs. */
  public String contrib(String opType, String[] inputs, Map<String, Object> attributes) {
    return contrib(opType, inputs, 1, attributes)[0];
  }

  /** A contrib operator with several outputs; returns their names. */
  public String[] contrib(String opType, String[] inputs, int outputs, Map<String, Object> attributes) {
    String[] names = new String[outputs];
    for (int i = 0; i < outputs; i++) {
      names[i] = fresh(opType);
    }
    graph.addNode(node(opType, inputs, names, attributes, "com.microsoft"));
    return names;
  }

  private String op(String opType, String[] inputs, String output, Map<String, Object> attributes) {
    graph.addNode(node(opType, inputs, new String[] {output}, attributes, ""));
    return output;
  }

  private NodeProto node(String opType, String[] inputs, String[] outputs, Map<String, Object> attrs, String domain) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(outputs[0] + "_node");
    if (!domain.isEmpty()) {
      n.setDomain(domain);
    }
    for (String in : inputs) {
      n.addInput(in);
    }
    for (String out : outputs) {
      n.addOutput(out);
    }
    attrs.forEach((k, v) -> n.addAttribute(attribute(k, v)));
    return n.build();
  }

  private static AttributeProto attribute(String name, Object v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    if (v instanceof Integer || v instanceof Long) {
      a.setType(AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
    } else if (v instanceof Float || v instanceof Double) {
      a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) v).floatValue());
    } else if (v instanceof long[] ints) {
      a.setType(AttributeProto.AttributeType.INTS);
      for (long i : ints) {
        a.addInts(i);
      }
    } else if (v instanceof String s) {
      a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
    } else if (v instanceof TensorProto t) {
      a.setType(AttributeProto.AttributeType.TENSOR).setT(t);
    } else if (v instanceof GraphProto sub) {
      a.setType(AttributeProto.AttributeType.GRAPH).setG(sub);
    } else {
      throw new IllegalArgumentException("attribute " + name + ": unsupported value " + v);
    }
    return a.build();
  }

  private String fresh(String base) {
    int n = counters.merge(base, 1, Integer::sum);
    return namePrefix + base + "_" + n;
  }

  /** The largest value along {@code axis}, kept as a dimension of 1 (axes an attribute before opset 18). */
  public String reduceMax(String x, long axis) {
    return opset >= 18 ? op("ReduceMax", new String[] {x, ints(axis)}, Map.of("keepdims", 1))
        : op("ReduceMax", new String[] {x}, Map.of("axes", new long[] {axis}, "keepdims", 1));
  }

  /** A float initializer named {@code name} with the given dims. */
  public String floats(String name, float[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    graph.addInitializer(external.tensor(name, TensorProto.DataType.FLOAT, dims, b.array()));
    return name;
  }

  /** An initializer of {@code type} from its little-endian bytes, named {@code name}, with the given dims. */
  public String bytes(String name, TensorProto.DataType type, byte[] values, long... dims) {
    graph.addInitializer(external.tensor(name, type, dims, values));
    return name;
  }

  /** A float16 initializer named {@code name} with the given dims ({@code values} rounded to nearest even). */
  public String halves(String name, float[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort(Float.floatToFloat16(v));
    }
    graph.addInitializer(external.tensor(name, TensorProto.DataType.FLOAT16, dims, b.array()));
    return name;
  }

  /** {@code x} cast to {@code type}. */
  public String cast(String x, TensorProto.DataType type) {
    return op("Cast", new String[] {x}, Map.of("to", type.getNumber()));
  }

  /** A small int64 constant (deduplicated by value). */
  public String ints(long... values) {
    String key = "i64:" + Arrays.toString(values);
    return constants.computeIfAbsent(key, k -> {
      String name = fresh("const_i64");
      TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
          .addDims(values.length);
      for (long v : values) {
        t.addInt64Data(v);
      }
      graph.addInitializer(t);
      return name;
    });
  }

  /** A scalar float constant (deduplicated by value). */
  public String scalar(float value) {
    String key = "f32:" + Float.floatToIntBits(value);
    return constants.computeIfAbsent(key, k -> {
      String name = fresh("const_f32");
      graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
          .addFloatData(value));
      return name;
    });
  }

  /** A scalar uint8 constant (deduplicated by value). */
  public String uint8Scalar(int value) {
    return constants.computeIfAbsent("u8:" + value, k -> {
      String name = fresh("const_u8");
      graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.UINT8_VALUE)
          .setRawData(ByteString.copyFrom(new byte[] {(byte) value})));
      return name;
    });
  }

  /** A scalar float16 constant (deduplicated by value). */
  public String halfScalar(float value) {
    String key = "f16:" + Float.floatToFloat16(value);
    return constants.computeIfAbsent(key, k -> {
      String name = fresh("const_f16");
      ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(Float.floatToFloat16(value));
      graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT16_VALUE)
          .setRawData(ByteString.copyFrom(b.array())));
      return name;
    });
  }

  /** The finished model with the default and {@code com.microsoft} opsets. */
  public ModelProto build(String producer) {
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName(producer)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1))
        .setGraph(graph)
        .build();
  }
}
