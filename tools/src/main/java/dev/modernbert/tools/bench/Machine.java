package dev.modernbert.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The machine a benchmark ran on, as one line for its report: core count, CPU model and the matrix instructions
 * ONNX Runtime's kernels use (results on one x86 CPU say little about another), architecture and Java version.
 */
public final class Machine {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");
  /** Instruction sets that change ONNX Runtime's GEMM speed, in the order they are named. */
  private static final List<String> MATRIX_FLAGS = List.of("avx2", "avx512f", "avx512_vnni", "avx512_bf16",
      "amx_tile");

  private Machine() {}

  /** E.g. {@code 2 cores, Intel(R) Xeon(R) Processor (avx2 avx512f amx_tile), amd64, Java 25}. */
  public static String describe() {
    return Runtime.getRuntime().availableProcessors() + " cores, " + cpu().map(c -> c + ", ").orElse("")
        + System.getProperty("os.arch") + ", Java " + Runtime.version().feature();
  }

  /** The CPU model and its matrix instruction sets from {@code /proc/cpuinfo}, where there is one (Linux). */
  static Optional<String> cpu() {
    try {
      return Files.exists(CPUINFO) ? cpu(Files.readAllLines(CPUINFO)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The first processor's model name and matrix flags in {@code cpuinfo}'s lines. */
  static Optional<String> cpu(List<String> cpuinfo) {
    String model = field(cpuinfo, "model name");
    if (model == null) {
      return Optional.empty();
    }
    String flags = field(cpuinfo, "flags");
    Set<String> present = flags == null ? Set.of() : Set.of(flags.split("\\s+"));
    List<String> named = new ArrayList<>();
    for (String f : MATRIX_FLAGS) {
      if (present.contains(f)) {
        named.add(f);
      }
    }
    return Optional.of(named.isEmpty() ? model : model + " (" + String.join(" ", named) + ")");
  }

  private static String field(List<String> lines, String name) {
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }
}
