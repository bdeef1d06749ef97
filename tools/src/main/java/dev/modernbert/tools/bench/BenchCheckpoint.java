package dev.modernbert.tools.bench;

import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The random-weight checkpoint the benchmarks run: written once per shape under their work folder, then reused. */
final class BenchCheckpoint {
  private BenchCheckpoint() {}

  static Path of(ModelShape shape, Path workDir, PrintStream out) throws IOException {
    Path model = workDir.resolve("random-" + shape.id());
    if (!Files.isRegularFile(model.resolve("model.safetensors"))) {
      out.println("writing random " + shape.id() + " checkpoint to " + model);
      RandomCheckpointWriter.write(new RandomCheckpointWriter.Options(shape, 1, DType.F32, false), model);
    }
    return model;
  }
}
