package dev.modernbert.plugin.settings;

import java.util.List;
import org.opensearch.common.settings.Settings;
import org.opensearch.threadpool.ExecutorBuilder;
import org.opensearch.threadpool.FixedExecutorBuilder;

/** The plugin's thread pools: one for ingest and {@code _embed}, one for query texts. */
public final class PluginThreadPools {
  /** Ingest and {@code _embed}. */
  public static final String INFERENCE = "modernbert_inference";
  /** Query texts, so that searches never wait behind ingest. */
  public static final String QUERY = "modernbert_query";

  private PluginThreadPools() {}

  /** One thread per pool: ONNX Runtime already uses {@code inference_threads} cores inside each run. */
  public static List<ExecutorBuilder<?>> builders(Settings settings) {
    return List.of(new FixedExecutorBuilder(settings, INFERENCE, 1, 10_000, "plugins.modernbert.thread_pool"),
        new FixedExecutorBuilder(settings, QUERY, 1, 10_000, "plugins.modernbert.query_thread_pool"));
  }
}
