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

  /** An open session, the device it runs on ({@code cpu} or {@code cuda:N}) and how its CPU memory is allocated. */
  public record Opened(OrtSession session, String device, String fallbackReason, CpuMemory memory) {}

  /** Where a session's CPU tensors come from. */
  public enum CpuMemory {
    /** ONNX Runtime's arena, shrunk at the end of every run on the CPU: what the engine uses. */
    ARENA,
    /** One allocation per tensor, no arena: only to measure what the arena is worth ({@code bench arena}). */
    NO_ARENA
  }

  private OnnxSessions() {}

  /** Where a graph file comes from; it may be compiled on demand. */
  @FunctionalInterface
  public interface GraphSource {
    Path path() throws IOException;
  }

  /** Opens {@code graph} with {@code intraOpThreads} threads (0 = runtime default) on {@code device}. */
  public static Opened open(Path graph, DeviceSpec device, int intraOpThreads) throws OrtException, IOException {
    return open(graph, device, intraOpThreads, CpuMemory.ARENA);
  }

  /** Like {@link #open(Path, DeviceSpec, int)}, with the CPU tensors allocated as {@code memory} says. */
  public static Opened open(Path graph, DeviceSpec device, int intraOpThreads, CpuMemory memory)
      throws OrtException, IOException {
    return open(() -> graph, () -> graph, device, intraOpThreads, memory);
  }

  /**
   * Opens the graph {@code forCuda} gives on CUDA when CUDA is tried, else — or when CUDA cannot load — the graph
   * {@code forCpu} gives on the CPU; each source is asked only when its device is used.
   */
  public static Opened open(GraphSource forCuda, GraphSource forCpu, DeviceSpec device, int intraOpThreads)
      throws OrtException, IOException {
    return open(forCuda, forCpu, device, intraOpThreads, CpuMemory.ARENA);
  }

  private static Opened open(GraphSource forCuda, GraphSource forCpu, DeviceSpec device, int intraOpThreads,
      CpuMemory memory) throws OrtException, IOException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    String reason = null;
    if (triesCuda(device)) {
      Path graph = forCuda.path();
      try (OrtSession.SessionOptions options = options(intraOpThreads, memory)) {
        options.addCUDA(device.cudaDevice());
        return new Opened(env.createSession(graph.toString(), options), "cuda:" + device.cudaDevice(), null, memory);
      } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
        reason = "CUDA unavailable (" + firstLine(e) + "); running on CPU";
        LOG.warning(reason);
      }
    }
    Path graph = forCpu.path();
    OrtSession.SessionOptions options = options(intraOpThreads, memory);
    try {
      return new Opened(env.createSession(graph.toString(), options), CPU, reason, memory);
    } finally {
      options.close();
    }
  }

  /** Whether CUDA is tried for {@code device}: asked for, or {@code auto} and the runtime lists it. */
  private static boolean triesCuda(DeviceSpec device) {
    return device.kind() == DeviceSpec.Kind.CUDA
        || (device.kind() == DeviceSpec.Kind.AUTO && OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA));
  }

  private static OrtSession.SessionOptions options(int intraOpThreads, CpuMemory memory) throws OrtException {
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
    // fresh pages, faster than plain malloc and a lower peak (bench arena); runOptions gives its memory back after
    // each run.
    if (memory == CpuMemory.NO_ARENA) {
      o.setCPUArenaAllocator(false);
    }
    // Shapes change with every batch, so there is no memory pattern to plan.
    o.setMemoryPatternOptimization(false);
    return o;
  }

  /**
   * Options for every run of {@code opened}: on the CPU its arena is shrunk at the end of each run, so a long
   * document's buffers are not kept for the short ones after it (on CUDA the runtime's defaults stay).
   * The caller closes them.
   */
  public static OrtSession.RunOptions runOptions(Opened opened) throws OrtException {
    OrtSession.RunOptions o = new OrtSession.RunOptions();
    if (opened.device().equals(CPU) && opened.memory() == CpuMemory.ARENA) {
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
