package dev.modernbert.elasticsearch.settings;

import dev.modernbert.inference.download.HubEndpoint;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.Quantization;
import dev.modernbert.inference.onnx.CompileOptions;
import dev.modernbert.inference.runtime.DeviceSpec;
import java.util.List;
import java.util.Map;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Setting.Property;
import org.elasticsearch.common.settings.Settings;

/**
 * The plugin's node settings, with the names and meanings of the OpenSearch edition's ({@code plugins.modernbert.*}),
 * each validated when the node starts. The queue's budget, the query cache's size and the download settings are
 * dynamic.
 */
public final class ModernBertSettings {
  private ModernBertSettings() {}

  /** {@code auto} (CUDA when available), {@code cpu}, {@code cuda} or {@code cuda:N}. */
  public static final Setting<String> DEVICE = new Setting<>("plugins.modernbert.device", "auto", s -> {
    try {
      DeviceSpec.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("plugins.modernbert.device: " + e.getMessage(), e);
    }
    return s;
  }, Property.NodeScope);

  /**
   * {@code none} or {@code int8}: the number format of the linear layers on the CPU (int8 is about twice as fast at
   * nearly the same vectors; see the README). CUDA runs fp16 either way. Compiled graphs are cached per format.
   */
  public static final Setting<Quantization> QUANTIZATION = new Setting<>("plugins.modernbert.quantization",
      Quantization.NONE.id(), s -> {
        try {
          return Quantization.parse(s);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("plugins.modernbert.quantization: " + e.getMessage(), e);
        }
      }, Property.NodeScope);

  /** ONNX Runtime threads per inference. */
  public static final Setting<Integer> INFERENCE_THREADS = Setting.intSetting("plugins.modernbert.inference_threads",
      Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 256, Property.NodeScope);

  /**
   * Padded tokens per inference batch; 0 (the default) picks by device: {@value EngineSettings#CPU_BATCH_TOKENS}
   * on the CPU, {@value EngineSettings#CUDA_BATCH_TOKENS} on CUDA.
   */
  public static final Setting<Integer> MAX_BATCH_TOKENS = Setting.intSetting("plugins.modernbert.max_batch_tokens",
      0, 0, tokens -> {
        if (tokens > 0 && tokens < 64 || tokens > 1 << 22) {
          throw new IllegalArgumentException("plugins.modernbert.max_batch_tokens must be 0 (by device) or in [64, "
              + (1 << 22) + "], got " + tokens);
        }
      }, Property.NodeScope);

  /** Tokens queued or running before new requests get HTTP 429. */
  public static final Setting<Long> QUEUE_MAX_TOKENS = Setting.longSetting("plugins.modernbert.queue_max_tokens",
      4_000_000L, 1L, Property.NodeScope, Property.Dynamic);

  /** Query texts whose vectors are cached per node (0 disables the cache). */
  public static final Setting<Integer> QUERY_CACHE_SIZE = Setting.intSetting("plugins.modernbert.query_cache_size",
      1000, 0, 1_000_000, Property.NodeScope, Property.Dynamic);

  /** Whether models may be downloaded from the hub (off: no network access at all). */
  public static final Setting<Boolean> DOWNLOAD_ENABLED = Setting.boolSetting("plugins.modernbert.download.enabled",
      false, Property.NodeScope, Property.Dynamic);

  /** The hub to download from ({@code HF_ENDPOINT} convention). */
  public static final Setting<String> DOWNLOAD_ENDPOINT = new Setting<>("plugins.modernbert.download.endpoint",
      s -> HubEndpoint.resolve(null, System.getenv()).toString(),
      s -> HubEndpoint.resolve(s, Map.of()).toString(), Property.NodeScope, Property.Dynamic);

  /** Every setting, for {@code Plugin#getSettings}. */
  public static List<Setting<?>> all() {
    return List.of(DEVICE, QUANTIZATION, INFERENCE_THREADS, MAX_BATCH_TOKENS, QUEUE_MAX_TOKENS, QUERY_CACHE_SIZE,
        DOWNLOAD_ENABLED, DOWNLOAD_ENDPOINT);
  }

  /** The engine's settings on this node. */
  public static EngineSettings engine(Settings settings) {
    EngineSettings engine = EngineSettings.defaults()
        .withAttention(CompileOptions.AttentionMode.BLOCKED)
        .withDevice(DeviceSpec.parse(DEVICE.get(settings)))
        .withThreads(INFERENCE_THREADS.get(settings))
        .withQuantization(QUANTIZATION.get(settings));
    return engine.withBatching(MAX_BATCH_TOKENS.get(settings), engine.maxBatchPadding());
  }
}
