package dev.modernbert.inference.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Opens ONNX Runtime sessions on the requested device. CUDA is tried when asked for (or, with {@code auto},
 * when the runtime lists it); if it cannot load, the session is rebuilt with fresh CPU-only options and the
 * device actually used is reported (PLATFORM.md: a failed CUDA provider leaves its options unusable).
 */
public final class OnnxSessions {
  private static final Logger LOG = Logger.getLogger(OnnxSessions.class.getName());

  /** The device name {@link #open} reports for a session on the CPU. */
  private static final String CPU = "cpu";

  /** An open session and the device it runs on ({@code cpu} or {@code cuda:N}). */
  public record Opened(OrtSession session, String device, String fallbackReason) {}

  private OnnxSessions() {}

  /** Where a graph file comes from; it may be compiled on demand. */
  @FunctionalInterface
  public interface GraphSource {
    Path path() throws IOException;
  }

  /** Opens {@code graph} with {@code intraOpThreads} threads (0 = runtime default) on {@code device}. */
  public static Opened open(Path graph, DeviceSpec device, int intraOpThreads) throws OrtException, IOException {
    return open(() -> graph, () -> graph, device, intraOpThreads);
  }

  /**
   * Opens the graph {@code forCuda} gives on CUDA when CUDA is tried, else — or when CUDA cannot load — the graph
   * {@code forCpu} gives on the CPU; each source is asked only when its device is used.
   */
  public static Opened open(GraphSource forCuda, GraphSource forCpu, DeviceSpec device, int intraOpThreads)
      throws OrtException, IOException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    String reason = null;
    if (triesCuda(device)) {
      Path graph = forCuda.path();
      try (OrtSession.SessionOptions options = options(intraOpThreads)) {
        options.addCUDA(device.cudaDevice());
        return new Opened(env.createSession(graph.toString(), options), "cuda:" + device.cudaDevice(), null);
      } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
        reason = "CUDA unavailable (" + firstLine(e) + "); running on CPU";
        LOG.warning(reason);
      }
    }
    Path graph = forCpu.path();
    OrtSession.SessionOptions options = options(intraOpThreads);
    try {
      return new Opened(env.createSession(graph.toString(), options), CPU, reason);
    } finally {
      options.close();
    }
  }

  /** Whether CUDA is tried for {@code device}: asked for, or {@code auto} and the runtime lists it. */
  private static boolean triesCuda(DeviceSpec device) {
    return device.kind() == DeviceSpec.Kind.CUDA
        || (device.kind() == DeviceSpec.Kind.AUTO && OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA));
  }

  private static OrtSession.SessionOptions options(int intraOpThreads) throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    // Idle intra-op threads sleep instead of spinning: inside a node they share the cores with indexing and search.
    // Spinning during each run only (session.force_spinning_stop) made a lone 16-token run 1.6x faster, but in a
    // 2-core node it cut the cold-query p50 by 1-2 ms while raising the p99 by 1-6 ms (bench query, 3 runs each).
    o.addConfigEntry("session.intra_op.allow_spinning", "0");
    if (intraOpThreads > 0) {
      o.setIntraOpNumThreads(intraOpThreads);
    }
    // The CPU arena stays on (the default): an 8192-token run reuses its freed buffers instead of faulting in
    // fresh pages, 11-19% faster than plain malloc and a lower peak; runOptions gives its memory back after each run.
    // Shapes change with every batch, so there is no memory pattern to plan.
    o.setMemoryPatternOptimization(false);
    return o;
  }

  /**
   * Options for every run of a session on {@code device}: on the CPU the arena is shrunk at the end of each run, so
   * a long document's buffers are not kept for the short ones after it (on CUDA the runtime's defaults stay).
   * The caller closes them.
   */
  public static OrtSession.RunOptions runOptions(String device) throws OrtException {
    OrtSession.RunOptions o = new OrtSession.RunOptions();
    if (device.equals(CPU)) {
      o.addRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
    }
    return o;
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
