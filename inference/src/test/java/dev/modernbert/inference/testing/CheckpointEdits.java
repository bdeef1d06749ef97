package dev.modernbert.inference.testing;

import dev.modernbert.inference.model.SafetensorsFile;
import dev.modernbert.inference.model.SafetensorsWriter;
import dev.modernbert.inference.model.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/** Rewrites safetensors files for tests: drop, rename, change or reshard tensors. */
public final class CheckpointEdits {
  private CheckpointEdits() {}

  /**
   * Copies {@code src} to {@code dst} through {@code edit}: it gets each tensor's name and values and returns
   * the new values, or {@code null} to drop the tensor. {@code rename} maps old names to new ones.
   */
  public static void rewrite(Path src, Path dst, UnaryOperator<String> rename,
      BiFunction<String, float[], float[]> edit) throws IOException {
    List<String> names = new ArrayList<>();
    List<float[]> values = new ArrayList<>();
    List<TensorInfo> infos = new ArrayList<>();
    try (SafetensorsFile f = SafetensorsFile.open(src)) {
      for (TensorInfo t : f.tensors().values()) {
        float[] v = edit.apply(t.name(), f.floats(t));
        if (v != null) {
          names.add(rename.apply(t.name()));
          values.add(v);
          infos.add(t);
        }
      }
    }
    SafetensorsWriter w = new SafetensorsWriter(dst);
    for (int i = 0; i < names.size(); i++) {
      long[] shape = values.get(i).length == infos.get(i).elementCount() ? infos.get(i).shape()
          : new long[] {values.get(i).length};
      w.declare(names.get(i), infos.get(i).dtype(), shape);
    }
    for (float[] v : values) {
      w.write(v);
    }
    w.finish();
  }

  /** Splits {@code folder/model.safetensors} into two shards plus {@code model.safetensors.index.json}. */
  public static void shard(Path folder) throws IOException {
    Path single = folder.resolve("model.safetensors");
    List<String> names;
    try (SafetensorsFile f = SafetensorsFile.open(single)) {
      names = new ArrayList<>(f.tensors().keySet());
    }
    List<String> first = names.subList(0, names.size() / 2);
    rewrite(single, folder.resolve("model-00001-of-00002.safetensors"), n -> n, (n, v) -> first.contains(n) ? v : null);
    rewrite(single, folder.resolve("model-00002-of-00002.safetensors"), n -> n, (n, v) -> first.contains(n) ? null : v);
    StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
    for (int i = 0; i < names.size(); i++) {
      index.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append("\": \"model-0000")
          .append(first.contains(names.get(i)) ? 1 : 2).append("-of-00002.safetensors\"");
    }
    Files.writeString(folder.resolve("model.safetensors.index.json"), index.append("}}").toString());
    Files.delete(single);
  }
}
