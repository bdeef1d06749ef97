package dev.modernbert.inference.runtime;

import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * What the native libraries need inside a node (PLATFORM.md): DJL offline (otherwise it probes the network),
 * its native library extracted under the node's temp directory, and the plugin's class loader as the thread
 * context class loader when DJL first looks for its library.
 */
public final class NativeLibraries {
  private NativeLibraries() {}

  public static void prepare() {
    System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "djl").toString());
    }
  }

  /** {@code executor}, with every task run under the plugin's class loader. */
  public static Executor withPluginClassLoader(Executor executor) {
    ClassLoader plugin = NativeLibraries.class.getClassLoader();
    return task -> executor.execute(() -> {
      Thread t = Thread.currentThread();
      ClassLoader previous = t.getContextClassLoader();
      t.setContextClassLoader(plugin);
      try {
        task.run();
      } finally {
        t.setContextClassLoader(previous);
      }
    });
  }
}
