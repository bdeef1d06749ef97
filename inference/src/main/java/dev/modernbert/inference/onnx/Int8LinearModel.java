package dev.modernbert.inference.onnx;

import dev.modernbert.inference.onnx.schema.Onnx.ModelProto;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;

/**
 * An ONNX model of one int8 linear layer, built by the same {@link Int8Linear} code as the layers of the int8
 * ModernBERT graph: input {@code x} fp32 [1, tokens, in], output {@code y} fp32 [1, tokens, out]. The runtime asks
 * it whether this CPU's kernel multiplies a weight format exactly, and tests check it against plain Java.
 */
public final class Int8LinearModel {
  private Int8LinearModel() {}

  /**
   * The layer {@code y = x·W} for {@code weightT} = W [in, out] row-major, its weights stored as {@code format};
   * tensors over {@link ExternalData#INLINE_LIMIT} bytes go to {@code external}.
   */
  public static ModelProto build(float[] weightT, int in, int out, Int8Weights format, ExternalData external) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("int8_linear", external);
    String x = g.input("x", TensorProto.DataType.FLOAT, 1, "tokens", in);
    String y = Int8Linear.matMul(g, Int8Linear.quantizeRows(g, x, in), "w", weightT, in, out, format);
    g.output(y, "y", TensorProto.DataType.FLOAT, 1, "tokens", out);
    return g.build("int8-linear");
  }

  /**
   * The same layer's integer product alone, as it runs between the quantization of {@code x} and the token scales:
   * input {@code x} uint8 [tokens, in] (zero point 128), output {@code y} fp32 [tokens, out]. Benchmarks time the
   * products apart from what surrounds them.
   */
  public static ModelProto product(float[] weightT, int in, int out, Int8Weights format, ExternalData external) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("int8_product", external);
    String x = g.input("x", TensorProto.DataType.UINT8, "tokens", in);
    g.output(Int8Linear.product(g, x, "w", weightT, in, out, format), "y", TensorProto.DataType.FLOAT, "tokens", out);
    return g.build("int8-product");
  }
}
