package dev.modernbert.inference.registry;

import dev.modernbert.inference.engine.Quantization;
import dev.modernbert.inference.runtime.OnnxEncoder;
import dev.modernbert.inference.stats.InferenceStats;
import dev.modernbert.inference.stats.LatencyRecorder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one node reports about itself, as the JSON objects of the models and stats endpoints. */
public final class NodeReports {
  private NodeReports() {}

  /**
   * The models directories, the quantization on the CPU (in int8, with its weights' width), and each model's state,
   * dimension, limit, device and load error.
   */
  public static Map<String, Object> models(InferenceServices services) {
    ModelRegistry registry = services.registry();
    List<Object> models = new ArrayList<>();
    for (ModelRegistry.ModelInfo m : registry.list()) {
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("name", m.name());
      model.put("state", m.state().name().toLowerCase(Locale.ROOT));
      model.put("format", m.format());
      model.put("dimension", m.dimension());
      model.put("max_tokens", m.maxTokens());
      model.put("device", m.device());
      if (m.state() == ModelRegistry.State.LOADED && registry.get(m.name()).encoder() instanceof OnnxEncoder e
          && e.fallbackReason() != null) {
        model.put("device_note", e.fallbackReason());
      }
      if (m.error() != null) {
        model.put("error", PathRedaction.redact(m.error()));
      }
      models.add(model);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("models_dirs", registry.modelsDirs().stream().map(Path::toString).toList());
    out.put("quantization", registry.settings().quantization().id());
    if (registry.settings().quantization() == Quantization.INT8) {
      out.put("int8_weights", registry.settings().int8WeightsOnThisCpu().description());
    }
    out.put("models", models);
    return out;
  }

  /**
   * Ingest documents embedded and failed, chunks and tokens embedded, per-model batches and padding, latencies of
   * each batch of documents (p50 / p99), the queue, and the query cache.
   */
  public static Map<String, Object> stats(InferenceServices services) {
    InferenceStats st = services.stats();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("documents", st.documents.sum());
    out.put("chunks", st.chunks.sum());
    out.put("tokens", st.tokens.sum());
    out.put("failures", st.failures.sum());
    putModelBatches(out, services.registry());
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("tokenize", latency(st.tokenize));
    latency.put("infer", latency(st.infer));
    latency.put("total", latency(st.total));
    out.put("latency", latency);
    out.put("queue", Map.of("queued_tokens", services.queue().queuedTokens(), "max_tokens", services.queue().maxTokens(),
        "rejections", services.queue().rejections()));
    out.put("query_cache", Map.of("queries", st.queries.sum(), "hits", st.cacheHits.sum(), "misses",
        st.cacheMisses.sum()));
    return out;
  }

  /**
   * Model calls and their slots, per loaded model and in all: {@code batch_tokens} held text, {@code padded_tokens}
   * padding; {@code padding_ratio} is padding over all slots (the counts let a client take it over any interval).
   */
  private static void putModelBatches(Map<String, Object> out, ModelRegistry registry) {
    long batches = 0;
    long real = 0;
    long padded = 0;
    Map<String, Object> models = new LinkedHashMap<>();
    for (ModelRegistry.ModelInfo m : registry.list()) {
      if (m.state() != ModelRegistry.State.LOADED) {
        continue;
      }
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("device", m.device());
      if (registry.get(m.name()).encoder() instanceof OnnxEncoder e) {
        putBatches(model, e.batchCount(), e.realTokens(), e.paddedTokens());
        batches += e.batchCount();
        real += e.realTokens();
        padded += e.paddedTokens();
      }
      models.put(m.name(), model);
    }
    out.put("models", models);
    putBatches(out, batches, real, padded);
  }

  private static void putBatches(Map<String, Object> out, long batches, long real, long padded) {
    out.put("batches", batches);
    out.put("batch_tokens", real);
    out.put("padded_tokens", padded);
    out.put("padding_ratio", real + padded == 0 ? 0.0 : (double) padded / (real + padded));
  }

  private static Map<String, Object> latency(LatencyRecorder r) {
    return Map.of("p50_ms", r.percentile(50), "p99_ms", r.percentile(99), "count", r.count());
  }
}
