package dev.modernbert.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.InvalidModelException;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.onnx.schema.Onnx.GraphProto;
import dev.modernbert.inference.onnx.schema.Onnx.ModelProto;
import dev.modernbert.inference.onnx.schema.Onnx.StringStringEntryProto;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.runtime.DeviceSpec;
import dev.modernbert.inference.testing.TestModels;
import dev.modernbert.inference.testing.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private static Path compiled;

  @BeforeAll
  static void compile() throws IOException {
    source = TestModels.folder(ModelShape.TINY);
    try (LoadedModel m = LoadedModel.load(source, CPU.withCacheDir(dir.resolve("cache")))) {
      m.encoder();
    }
    try (var s = Files.walk(dir.resolve("cache"))) {
      compiled = s.filter(p -> p.getFileName().toString().equals(CompiledModelCache.GRAPH_FILE)).findFirst().orElseThrow();
    }
  }

  /** An exported folder whose graph is the compiled one after {@code edit}. */
  private static Path exported(String name, UnaryOperator<ModelProto> edit) throws IOException {
    Path out = Files.createDirectories(dir.resolve(name));
    Files.copy(compiled.resolveSibling(CompiledModelCache.DATA_FILE), out.resolve(CompiledModelCache.DATA_FILE));
    Files.copy(source.resolve("tokenizer.json"), out.resolve("tokenizer.json"));
    ModelProto model = ModelProto.parseFrom(Files.readAllBytes(compiled));
    Files.write(out.resolve(ModelFolder.EXPORTED_GRAPH), edit.apply(model).toByteArray());
    return out;
  }

  /** Drops the graph's own pooling output, as a Hugging Face export has none. */
  private static ModelProto withoutPooling(ModelProto m) {
    GraphProto.Builder g = m.getGraph().toBuilder();
    g.removeOutput(1);
    return m.toBuilder().setGraph(g).build();
  }

  @Test
  void exportedFolderEmbedsLikeTheCheckpointWithPoolingOutsideTheGraph() throws IOException {
    Path folder = exported("plain", ExportedOnnxFolderTest::withoutPooling);
    assertEquals(ModelFolder.Format.EXPORTED_ONNX, ModelFolder.open(folder).format());
    List<String> texts = List.of("今日は晴れです。", "雨が降っています、明日も雨でしょう。");
    try (LoadedModel exported = LoadedModel.load(folder, CPU);
        LoadedModel original = LoadedModel.load(source, CPU.withCacheDir(dir.resolve("cache")))) {
      var a = exported.embedder(512).embed(texts, "", true);
      var b = original.embedder(512).embed(texts, "", true);
      for (int i = 0; i < texts.size(); i++) {
        assertEquals(b.get(i).tokens(), a.get(i).tokens());
        assertTrue(Vectors.cosine(a.get(i).vector(), b.get(i).vector()) > 0.999999);
      }
      assertArrayEquals(original.encoder().hiddenStates(List.of(new int[] {1, 500, 2})).get(0)[1],
          exported.encoder().hiddenStates(List.of(new int[] {1, 500, 2})).get(0)[1], 1e-6f);
    }
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
    Path noOutput = exported("nooutput", m -> m.toBuilder().setGraph(m.getGraph().toBuilder().removeOutput(0)
        .removeOutput(0)).build());
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
}
