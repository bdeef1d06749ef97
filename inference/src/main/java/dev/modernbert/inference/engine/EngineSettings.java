package dev.modernbert.inference.engine;

import dev.modernbert.inference.onnx.CompileOptions.AttentionMode;
import dev.modernbert.inference.onnx.Int8Weights;
import dev.modernbert.inference.runtime.DeviceSpec;
import dev.modernbert.inference.runtime.Int8ProductProbe;
import dev.modernbert.inference.runtime.TokenBudgetBatcher;
import java.nio.file.Path;

/**
 * How a model is run.
 *
 * @param attention local-layer attention of the compiled graph
 * @param device where ONNX Runtime runs
 * @param intraOpThreads ONNX Runtime threads per inference (0 = runtime default)
 * @param maxBatchTokens padded tokens per batch; 0 = by device ({@link #batchTokensOn})
 * @param cacheDir where compiled graphs are kept, or {@code null} for {@code <model>/.modernbert-cache}
 * @param maxBatchPadding how much shorter than a batch's longest text a text may be to join it
 * @param quantization the number format of the linear layers on the CPU
 * @param int8Weights how int8 weights are stored, or {@code null} for the widest format this CPU multiplies exactly
 *     ({@link Int8ProductProbe}); benchmarks set it to compare formats on one CPU
 */
public record EngineSettings(
    AttentionMode attention, DeviceSpec device, int intraOpThreads, int maxBatchTokens, Path cacheDir,
    double maxBatchPadding, Quantization quantization, Int8Weights int8Weights) {

  /** Batch budget on the CPU when none is set: larger batches are slower there (activations leave the cache). */
  public static final int CPU_BATCH_TOKENS = 2048;
  /** Batch budget on CUDA when none is set: a GPU needs many sequences at once to be busy. */
  public static final int CUDA_BATCH_TOKENS = 16384;

  /** Blocked attention, automatic device, budget by device, texts padded by at most 20%, no quantization. */
  public static EngineSettings defaults() {
    return new EngineSettings(AttentionMode.BLOCKED, DeviceSpec.parse("auto"), 0, 0, null,
        TokenBudgetBatcher.DEFAULT_MAX_PADDING, Quantization.NONE, null);
  }

  /** The batch budget for a model running on {@code device} ({@code cpu}, {@code cuda:N}): the set one, if any. */
  public int batchTokensOn(String device) {
    if (maxBatchTokens > 0) {
      return maxBatchTokens;
    }
    return device.startsWith("cuda") ? CUDA_BATCH_TOKENS : CPU_BATCH_TOKENS;
  }

  public EngineSettings withAttention(AttentionMode a) {
    return new EngineSettings(a, device, intraOpThreads, maxBatchTokens, cacheDir, maxBatchPadding, quantization,
        int8Weights);
  }

  public EngineSettings withDevice(DeviceSpec d) {
    return new EngineSettings(attention, d, intraOpThreads, maxBatchTokens, cacheDir, maxBatchPadding, quantization,
        int8Weights);
  }

  public EngineSettings withThreads(int threads) {
    return new EngineSettings(attention, device, threads, maxBatchTokens, cacheDir, maxBatchPadding, quantization,
        int8Weights);
  }

  /** Token budget per batch, and how much shorter than a batch's longest text a text may be to join it. */
  public EngineSettings withBatching(int maxTokens, double maxPadding) {
    return new EngineSettings(attention, device, intraOpThreads, maxTokens, cacheDir, maxPadding, quantization,
        int8Weights);
  }

  public EngineSettings withCacheDir(Path dir) {
    return new EngineSettings(attention, device, intraOpThreads, maxBatchTokens, dir, maxBatchPadding, quantization,
        int8Weights);
  }

  public EngineSettings withQuantization(Quantization q) {
    return new EngineSettings(attention, device, intraOpThreads, maxBatchTokens, cacheDir, maxBatchPadding, q,
        int8Weights);
  }

  /** int8 with its weights stored as {@code weights}, whether this CPU multiplies them exactly or not. */
  public EngineSettings withInt8Weights(Int8Weights weights) {
    return new EngineSettings(attention, device, intraOpThreads, maxBatchTokens, cacheDir, maxBatchPadding,
        Quantization.INT8, weights);
  }

  /** The int8 weight format models load with: the one set, or the widest this CPU multiplies exactly. */
  public Int8Weights int8WeightsOnThisCpu() {
    return int8Weights != null ? int8Weights : Int8ProductProbe.exactWeights();
  }
}
