package dev.modernbert.tools.bench;

import java.io.IOException;

/**
 * One timed run of a task: its wall-clock seconds and how far the process's resident memory rose during it above
 * its level before (native ONNX Runtime buffers included; 0 where {@link PeakMemory} is not available).
 */
record MeasuredRun(double seconds, long peakRiseBytes) {
  static MeasuredRun of(Runnable task) throws IOException {
    boolean memory = PeakMemory.available();
    long base = memory ? PeakMemory.residentBytes() : 0;
    if (memory) {
      PeakMemory.reset();
    }
    long t0 = System.nanoTime();
    task.run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new MeasuredRun(seconds, memory ? PeakMemory.peakBytes() - base : 0);
  }
}
