package dev.modernbert.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.onnx.schema.Onnx.GraphProto;
import dev.modernbert.inference.onnx.schema.Onnx.ModelProto;
import dev.modernbert.inference.onnx.schema.Onnx.NodeProto;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.testing.TestModels;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fp32 graph, as ONNX Runtime runs it after its own optimizations, uses the fused kernels the compiler writes
 * for (one RotaryEmbedding per q and k, one SkipLayerNormalization per residual add followed by a norm, GeLU fused
 * into one Gelu) and none of the element-wise passes they replace, and builds the short-sequence local mask once,
 * not in every local layer. Speed is measured by {@code bench engine}; this guards the structure that speed comes
 * from (a GeLU written as Mul by 1/√2, for one, is silently left unfused).
 */
class FusedKernelsTest {
  @TempDir Path dir;

  /** With the per-token layers on packed tokens and on every slot alike. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void onnxRuntimeRunsTheFusedKernels(boolean packTokens) throws Exception {
    ModelFolder folder = ModelFolder.open(TestModels.folder(ModelShape.TINY));
    Path graph = CompiledModelCache.graph(folder,
        new CompileOptions(CompileOptions.AttentionMode.BLOCKED, folder.profile().pooling(), false)
            .withPackedTokens(packTokens), dir);
    Path optimized = dir.resolve("optimized.onnx");
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setOptimizedModelFilePath(optimized.toString());
      OrtEnvironment.getEnvironment().createSession(graph.toString(), o).close();
    }
    Map<String, Integer> ops = new TreeMap<>();
    try (InputStream in = Files.newInputStream(optimized)) {
      count(ModelProto.parseFrom(in).getGraph(), ops);
    }
    int layers = ModelShape.TINY.layers;
    assertEquals(2 * layers, ops.getOrDefault("RotaryEmbedding", 0), ops::toString);
    // every residual add is followed by a norm (mlp_norm, the next attn_norm or final_norm)
    assertEquals(2 * layers, ops.getOrDefault("SkipLayerNormalization", 0), ops::toString);
    assertEquals(layers, ops.getOrDefault("Gelu", 0), ops::toString);
    // only the embeddings' norm has no residual add in front of it
    assertEquals(1, ops.getOrDefault("LayerNormalization", 0), ops::toString);
    // the mask's positions: one Range for every local layer's short-sequence branch
    assertEquals(1, ops.getOrDefault("Range", 0), ops::toString);
    for (String replaced : new String[] {"Erf", "Split", "Neg"}) {
      assertEquals(0, ops.getOrDefault(replaced, 0), replaced + " left in " + ops);
    }
  }

  /** Op type counts of {@code g} and the subgraphs of its If nodes (both branches). */
  private static void count(GraphProto g, Map<String, Integer> ops) {
    for (NodeProto n : g.getNodeList()) {
      ops.merge(n.getOpType(), 1, Integer::sum);
      n.getAttributeList().stream().filter(a -> a.hasG()).forEach(a -> count(a.getG(), ops));
    }
  }
}
