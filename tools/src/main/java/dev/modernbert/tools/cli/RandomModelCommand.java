package dev.modernbert.tools.cli;

import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code random-model --shape S --out DIR [--seed N] [--dtype F32|F16|BF16] [--mlm]}. */
final class RandomModelCommand implements Main.Command {
  @Override
  public void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("mlm"), Set.of("shape", "out", "seed", "dtype"));
    ModelShape shape;
    DType dtype = DType.fromSafetensors(a.get("dtype", "F32"));
    try {
      shape = ModelShape.parse(a.required("shape"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
      throw new UsageException("--dtype must be F32, F16 or BF16");
    }
    Path out = Path.of(a.required("out"));
    RandomCheckpointWriter.write(
        new RandomCheckpointWriter.Options(shape, a.longValue("seed", 42), dtype, a.flag("mlm")), out);
    System.err.println("wrote random " + shape.id() + " checkpoint to " + out);
  }

  @Override
  public String usage() {
    return "random-model --shape tiny|30m|70m|130m|310m --out DIR [--seed N] [--dtype F32|F16|BF16] [--mlm]";
  }
}
