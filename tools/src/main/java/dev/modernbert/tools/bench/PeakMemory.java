package dev.modernbert.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident-memory high-water mark (Linux {@code VmHWM}), which {@link #reset()} sets back to the
 * current resident size, so the peak of one measured phase (native ONNX Runtime buffers included) can be read.
 */
final class PeakMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private PeakMemory() {}

  /** Whether this platform supports the measurement. */
  static boolean available() {
    return Files.isReadable(STATUS) && Files.isWritable(CLEAR_REFS);
  }

  /** Resets the high-water mark to the current resident size. */
  static void reset() throws IOException {
    Files.writeString(CLEAR_REFS, "5");
  }

  /** Peak resident bytes since the last reset. */
  static long peakBytes() throws IOException {
    return field("VmHWM:");
  }

  /** Current resident bytes. */
  static long residentBytes() throws IOException {
    return field("VmRSS:");
  }

  /** {@code bytes} in MiB, as the benchmarks report memory. */
  static double mib(long bytes) {
    return bytes / 1048576.0;
  }

  private static long field(String name) throws IOException {
    for (String line : Files.readAllLines(STATUS)) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) * 1024;
      }
    }
    throw new IOException(name + " not in " + STATUS);
  }
}
