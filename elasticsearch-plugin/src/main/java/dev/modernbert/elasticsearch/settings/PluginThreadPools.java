package dev.modernbert.elasticsearch.settings;

import java.util.List;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.threadpool.ExecutorBuilder;
import org.elasticsearch.threadpool.FixedExecutorBuilder;

/** The plugin's thread pools: one for ingest and {@code _embed}, one for query texts. */
public final class PluginThreadPools {
  /** Ingest and {@code _embed}. */
  public static final String INFERENCE = "modernbert_inference";
  /** Query texts, so that searches never wait behind ingest. */
  public static final String QUERY = "modernbert_query";

  private PluginThreadPools() {}

  /** One thread per pool: ONNX Runtime already uses {@code inference_threads} cores inside each run. */
  public static List<ExecutorBuilder<?>> builders(Settings settings) {
    return List.of(
        new FixedExecutorBuilder(settings, INFERENCE, 1, 10_000, "plugins.modernbert.thread_pool",
            EsExecutors.TaskTrackingConfig.DO_NOT_TRACK),
        new FixedExecutorBuilder(settings, QUERY, 1, 10_000, "plugins.modernbert.query_thread_pool",
            EsExecutors.TaskTrackingConfig.DO_NOT_TRACK));
  }
}
