package dev.modernbert.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.Quantization;
import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.model.InvalidModelException;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.onnx.schema.Onnx.GraphProto;
import dev.modernbert.inference.onnx.schema.Onnx.ModelProto;
import dev.modernbert.inference.onnx.schema.Onnx.StringStringEntryProto;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomTokens;
import dev.modernbert.inference.runtime.DeviceSpec;
import dev.modernbert.inference.runtime.Int8ProductProbe;
import dev.modernbert.inference.testing.TestModels;
import dev.modernbert.inference.testing.Vectors;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder holding an exported {@code model.onnx} + {@code tokenizer.json} runs like a checkpoint, and a
 * corrupt or malicious graph fails to load with a message naming the problem.
 */
class ExportedOnnxFolderTest {
  @TempDir static Path dir;
  private static final EngineSettings CPU = EngineSettings.defaults().withDevice(DeviceSpec.parse("cpu"));
  private static Path source;
  private static Path export;

  @BeforeAll
  static void export() throws IOException {
    source = TestModels.folder(ModelShape.TINY);
    export = dir.resolve("export");
    OnnxExport.write(ModelFolder.open(source), CompileOptions.AttentionMode.FULL, export);
  }

  /** A copy of the export whose graph is edited by {@code edit}. */
  private static Path exported(String name, UnaryOperator<ModelProto> edit) throws IOException {
    Path out = dir.resolve(name);
    FileTrees.copy(export, out, p -> true);
    Path graph = out.resolve(ModelFolder.EXPORTED_GRAPH);
    Files.write(graph, edit.apply(ModelProto.parseFrom(Files.readAllBytes(graph))).toByteArray());
    return out;
  }

  @Test
  void exportedFolderEmbedsLikeTheCheckpointWithPoolingOutsideTheGraph() throws IOException {
    ModelFolder folder = ModelFolder.open(export);
    assertEquals(ModelFolder.Format.EXPORTED_ONNX, folder.format());
    assertEquals(ModelFolder.open(source).profile(), folder.profile(), "prompts and pooling travel with it");
    assertEquals(List.of("last_hidden_state"), ModelProto.parseFrom(Files.readAllBytes(
        export.resolve(ModelFolder.EXPORTED_GRAPH))).getGraph().getOutputList().stream().map(o -> o.getName())
        .toList());
    assertThrows(IllegalArgumentException.class,
        () -> OnnxExport.write(ModelFolder.open(source), CompileOptions.AttentionMode.FULL, export), "not empty");
    List<String> texts = List.of("今日は晴れです。", "雨が降っています、明日も雨でしょう。");
    try (LoadedModel exported = LoadedModel.load(export, CPU);
        LoadedModel original = LoadedModel.load(source, CPU.withCacheDir(dir.resolve("cache")))) {
      var a = exported.embedder(512).embed(texts, "", true);
      var b = original.embedder(512).embed(texts, "", true);
      for (int i = 0; i < texts.size(); i++) {
        assertEquals(b.get(i).tokens(), a.get(i).tokens());
        assertTrue(Pooling.cosine(a.get(i).vector(), b.get(i).vector()) > 0.999999);
      }
      assertArrayEquals(original.encoder().hiddenStates(List.of(new int[] {1, 500, 2})).get(0)[1],
          exported.encoder().hiddenStates(List.of(new int[] {1, 500, 2})).get(0)[1], 1e-5f);
    }
  }

  /**
   * ml-commons serves exports with ONNX Runtime 1.16.3 at its default optimizations; run there (in a JVM of its
   * own: one runtime per JVM), the export gives our runtime's hidden states, padded batch included.
   */
  @Test
  void exportRunsInTheOnnxRuntimeOfMlCommons() throws Exception {
    List<int[]> sequences = List.of(RandomTokens.ids(300, 1), RandomTokens.ids(40, 2));
    Path jar;
    try (var s = Files.list(Path.of("target/onnxruntime-1.16"))) {
      jar = s.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
    }
    Path testClasses = Path.of(OnnxRuntimeProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
        jar + File.pathSeparator + testClasses, OnnxRuntimeProbe.class.getName(),
        export.resolve(ModelFolder.EXPORTED_GRAPH).toString()));
    sequences.forEach(ids -> command.add(String.join(",", Arrays.stream(ids).mapToObj(Integer::toString).toList())));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertEquals(0, p.waitFor(), "the probe JVM exited with an error");
    assertTrue(lines.get(0).startsWith("1.16."), "ran in ONNX Runtime " + lines.get(0));
    try (LoadedModel ours = LoadedModel.load(export, CPU)) {
      List<float[][]> expected = ours.encoder().hiddenStates(sequences);
      int line = 1;
      for (float[][] states : expected) {
        float[][] theirs = new float[states.length][];
        for (int t = 0; t < states.length; t++) {
          theirs[t] = floats(lines.get(line++));
        }
        assertTrue(Vectors.maxAbsDiff(states, theirs) <= 1e-4, "max |Δ| " + Vectors.maxAbsDiff(states, theirs));
      }
    }
  }

  /** A float array as {@link Arrays#toString(float[])} prints it. */
  private static float[] floats(String printed) {
    String[] parts = printed.substring(1, printed.length() - 1).split(", ");
    float[] v = new float[parts.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = Float.parseFloat(parts[i]);
    }
    return v;
  }

  /**
   * int8 on an exported graph quantizes its linear layers as the compiler does a checkpoint's: hidden states equal
   * the int8-compiled checkpoint's (same attention) within 1e-4, where int8 and fp32 differ by more than 0.01; every
   * linear layer became one MatMulIntegerToFloat, and no fp32 copy of its weight is left in the graph.
   */
  @Test
  void int8QuantizesTheLinearLayersOfAnExportedGraph() throws IOException {
    EngineSettings int8 = CPU.withQuantization(Quantization.INT8).withCacheDir(dir.resolve("int8-cache"));
    int[] ids = {1, 500, 731, 42, 9000, 2};
    float[][] exportInt8;
    try (LoadedModel m = LoadedModel.load(export, int8)) {
      exportInt8 = m.encoder().hiddenStates(List.of(ids)).get(0);
    }
    float[][] compiledInt8;
    try (LoadedModel m = LoadedModel.load(source, int8.withAttention(CompileOptions.AttentionMode.FULL))) {
      compiledInt8 = m.encoder().hiddenStates(List.of(ids)).get(0);
    }
    float[][] exportFp32;
    try (LoadedModel m = LoadedModel.load(export, CPU)) {
      exportFp32 = m.encoder().hiddenStates(List.of(ids)).get(0);
    }
    assertTrue(Vectors.maxAbsDiff(compiledInt8, exportInt8) <= 1e-4, "int8 export vs int8 checkpoint");
    assertTrue(Vectors.maxAbsDiff(exportFp32, exportInt8) > 0.01, "int8 export vs fp32 export");
    ModelProto quantized = ModelProto.parseFrom(Files.readAllBytes(
        CompiledModelCache.quantizedExport(ModelFolder.open(export), Int8ProductProbe.exactWeights(),
            dir.resolve("int8-cache"))));
    int layers = ModelFolder.open(source).config().numHiddenLayers();
    assertEquals(7 * layers, quantized.getGraph().getNodeList().stream()
        .filter(n -> n.getOpType().equals("MatMulIntegerToFloat")).count(), "Wqkv ×3, Wo, Wi ×2, mlp.Wo per layer");
    assertEquals(List.of(), quantized.getGraph().getInitializerList().stream()
        .filter(t -> t.getName().startsWith("layers.") && t.getDataType() == TensorProto.DataType.FLOAT_VALUE
            && t.getDimsCount() == 2)
        .map(TensorProto::getName).toList());
  }

  private static String loadError(Path folder) {
    return assertThrows(InvalidModelException.class, () -> LoadedModel.load(folder, CPU).close()).getMessage();
  }

  @Test
  void corruptGraphIsNamed() throws IOException {
    Path folder = exported("corrupt", m -> m);
    Files.write(folder.resolve(ModelFolder.EXPORTED_GRAPH), new byte[] {8, 9, 10, (byte) 0xFF, 0x7F, 1, 2, 3});
    assertTrue(loadError(folder).contains("model.onnx"), loadError(folder));
  }

  @Test
  void externalDataOutsideTheFolderIsRefused() throws IOException {
    Path folder = exported("escape", m -> {
      GraphProto.Builder g = m.getGraph().toBuilder();
      for (int i = 0; i < g.getInitializerCount(); i++) {
        TensorProto t = g.getInitializer(i);
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
          TensorProto.Builder b = t.toBuilder().clearExternalData();
          b.addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../../etc/passwd"));
          g.setInitializer(i, b);
          break;
        }
      }
      return m.toBuilder().setGraph(g).build();
    });
    String msg = loadError(folder);
    assertTrue(msg.contains("../../etc/passwd") && msg.contains("not a plain file name"), msg);
  }

  @Test
  void missingInputsOutputsAndTokenizerAreNamed() throws IOException {
    Path noOutput = exported("nooutput", m -> m.toBuilder().setGraph(m.getGraph().toBuilder().removeOutput(0))
        .build());
    assertTrue(loadError(noOutput).contains("last_hidden_state"));
    Path noInput = exported("noinput", m -> m.toBuilder().setGraph(m.getGraph().toBuilder().removeInput(1)).build());
    assertTrue(loadError(noInput).contains("attention_mask"));
    Path noTokenizer = exported("notokenizer", m -> m);
    Files.delete(noTokenizer.resolve("tokenizer.json"));
    assertTrue(loadError(noTokenizer).contains("tokenizer.json"));
    Path truncatedData = exported("truncated", m -> m);
    Files.write(truncatedData.resolve(CompiledModelCache.DATA_FILE), new byte[100]);
    assertTrue(loadError(truncatedData).contains("reads bytes"));
  }

  @Test
  void implausibleSizesInTheGraphOrConfigAreRefusedNamingThem() throws IOException {
    Path wide = exported("wide", m -> {
      GraphProto.Builder g = m.getGraph().toBuilder();
      g.getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(2)
          .setDimValue(1L << 40);
      return m.toBuilder().setGraph(g).build();
    });
    assertTrue(loadError(wide).contains("last_hidden_state of width 1099511627776"), loadError(wide));
    for (String field : List.of("max_position_embeddings", "pad_token_id", "vocab_size")) {
      Path folder = exported("bad-" + field, m -> m);
      ObjectNode config = (ObjectNode) JsonFiles.read(folder.resolve("config.json"), JsonFiles.MAX_CONFIG_BYTES);
      Files.writeString(folder.resolve("config.json"), config.put(field, -5).toString());
      assertTrue(loadError(folder).contains(field + " = -5"), loadError(folder));
    }
  }
}
