package dev.modernbert.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.testing.CheckpointEdits;
import dev.modernbert.inference.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile cache is reused while the checkpoint is unchanged and rebuilt when it changes, and the rebuilt
 * graph replaces the old one.
 */
class CompiledModelCacheTest {
  @TempDir Path dir;

  @Test
  void reusedUntilTheWeightsChange() throws Exception {
    Path model = TestModels.copy(TestModels.folder(ModelShape.TINY), dir.resolve("m"));
    Path cache = dir.resolve("cache");
    CompileOptions blocked = new CompileOptions(CompileOptions.AttentionMode.BLOCKED, Pooling.MEAN, false);
    Path first = CompiledModelCache.graph(ModelFolder.open(model), blocked, cache);
    long written = Files.getLastModifiedTime(first).toMillis();
    Path again = CompiledModelCache.graph(ModelFolder.open(model), blocked, cache);
    assertEquals(first, again);
    assertEquals(written, Files.getLastModifiedTime(again).toMillis(), "not recompiled");
    Path full = CompiledModelCache.graph(ModelFolder.open(model),
        new CompileOptions(CompileOptions.AttentionMode.FULL, Pooling.MEAN, false), cache);
    assertNotEquals(first, full, "options are part of the key");

    Path weights = model.resolve("model.safetensors");
    Path edited = dir.resolve("edited.safetensors");
    CheckpointEdits.rewrite(weights, edited, n -> n, (n, v) -> {
      if (n.equals("final_norm.weight")) {
        v[0] += 1;
      }
      return v;
    });
    Files.move(edited, weights, StandardCopyOption.REPLACE_EXISTING);
    Path rebuilt = CompiledModelCache.graph(ModelFolder.open(model), blocked, cache);
    assertNotEquals(first, rebuilt, "a changed checkpoint gets a new graph");
    assertFalse(Files.exists(first.getParent()), "the old weights' graph is deleted");
    assertTrue(Files.isRegularFile(full), "the graph of other options is kept");
    Path other = TestModels.copy(TestModels.folder(ModelShape.TINY), dir.resolve("other"));
    CompiledModelCache.graph(ModelFolder.open(other), blocked, cache);
    assertTrue(Files.isRegularFile(rebuilt), "another folder's graph does not supersede this one");
  }
}
