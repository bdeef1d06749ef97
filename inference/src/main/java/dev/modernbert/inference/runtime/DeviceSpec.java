package dev.modernbert.inference.runtime;

/**
 * Where to run: {@code auto} (CUDA when the runtime offers it, else CPU), {@code cpu}, {@code cuda} (device
 * 0) or {@code cuda:N}.
 */
public record DeviceSpec(Kind kind, int cudaDevice) {
  public enum Kind { AUTO, CPU, CUDA }

  /** Parses {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}. */
  public static DeviceSpec parse(String s) {
    if (s.equals("auto")) {
      return new DeviceSpec(Kind.AUTO, 0);
    }
    if (s.equals("cpu")) {
      return new DeviceSpec(Kind.CPU, 0);
    }
    if (s.equals("cuda")) {
      return new DeviceSpec(Kind.CUDA, 0);
    }
    if (s.matches("cuda:[0-9]{1,3}")) {
      return new DeviceSpec(Kind.CUDA, Integer.parseInt(s.substring(5)));
    }
    throw new IllegalArgumentException("device must be auto, cpu, cuda or cuda:N, got \"" + s + "\"");
  }
}
