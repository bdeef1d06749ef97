package dev.modernbert.inference.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.modernbert.inference.pooling.Pooling;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * An {@link Encoder} over an ONNX Runtime session. Sequences are packed by a {@link TokenBudgetBatcher},
 * right-padded with the model's pad id, and results are returned in input order. Inputs are matched by
 * name: {@code input_ids}, {@code attention_mask} and, when the graph has it, {@code token_type_ids} (zeros).
 */
public final class OnnxEncoder implements Encoder {
  public static final String HIDDEN_OUTPUT = "last_hidden_state";
  public static final String POOLED_OUTPUT = "sentence_embedding";

  private final OrtSession session;
  private final OrtSession.RunOptions runOptions;
  private final String device;
  private final int hiddenSize;
  private final int padId;
  private final TokenBudgetBatcher batcher;
  private final boolean tokenTypes;
  private final boolean pooledOutput;
  private final Pooling pooling;
  private final AtomicLong realTokens = new AtomicLong();
  private final AtomicLong paddedTokens = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final String fallbackReason;

  /** {@code pooling} is used when the graph has no {@code sentence_embedding} output of its own. */
  public OnnxEncoder(OnnxSessions.Opened opened, int hiddenSize, int padId, TokenBudgetBatcher batcher,
      Pooling pooling) throws OrtException {
    this.pooling = pooling;
    this.session = opened.session();
    this.device = opened.device();
    this.fallbackReason = opened.fallbackReason();
    this.hiddenSize = hiddenSize;
    this.padId = padId;
    this.batcher = batcher;
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (!inputs.containsKey("input_ids") || !inputs.containsKey("attention_mask")) {
      throw new IllegalArgumentException("the ONNX graph must have inputs input_ids and attention_mask, has "
          + inputs.keySet());
    }
    this.tokenTypes = inputs.containsKey("token_type_ids");
    if (!session.getOutputInfo().containsKey(HIDDEN_OUTPUT)) {
      throw new IllegalArgumentException("the ONNX graph must have an output " + HIDDEN_OUTPUT + ", has "
          + session.getOutputInfo().keySet());
    }
    this.pooledOutput = session.getOutputInfo().containsKey(POOLED_OUTPUT);
    this.runOptions = OnnxSessions.runOptions(opened);
  }

  @Override
  public List<float[][]> hiddenStates(List<int[]> sequences) {
    float[][][] out = new float[sequences.size()][][];
    run(sequences, HIDDEN_OUTPUT, (index, length, data, offset) -> {
      float[][] rows = new float[length][hiddenSize];
      for (int t = 0; t < length; t++) {
        data.get(offset + t * hiddenSize, rows[t]);
      }
      out[index] = rows;
    });
    return Arrays.asList(out);
  }

  /** Pooled vectors: the graph's own pooling output when it has one, else pooled here from token states. */
  @Override
  public List<float[]> embeddings(List<int[]> sequences) {
    if (!pooledOutput) {
      List<float[][]> states = hiddenStates(sequences);
      return IntStream.range(0, states.size())
          .mapToObj(i -> pooling.pool(states.get(i), sequences.get(i).length)).toList();
    }
    float[][] out = new float[sequences.size()][];
    run(sequences, POOLED_OUTPUT, (index, length, data, offset) -> {
      out[index] = new float[hiddenSize];
      data.get(offset, out[index]);
    });
    return Arrays.asList(out);
  }

  private interface RowSink {
    /** Sequence {@code index} of {@code length} tokens; its values start at {@code offset} of {@code data}. */
    void accept(int index, int length, FloatBuffer data, int offset);
  }

  private void run(List<int[]> sequences, String output, RowSink sink) {
    int[] lengths = sequences.stream().mapToInt(s -> s.length).toArray();
    for (int[] batch : batcher.plan(lengths)) {
      int width = 0;
      for (int i : batch) {
        width = Math.max(width, lengths[i]);
      }
      try (Result r = runBatch(sequences, batch, width, output)) {
        int perRow = output.equals(HIDDEN_OUTPUT) ? width * hiddenSize : hiddenSize;
        for (int b = 0; b < batch.length; b++) {
          sink.accept(batch[b], lengths[batch[b]], r.data, b * perRow);
        }
      }
    }
  }

  private record Result(OrtSession.Result result, FloatBuffer data) implements AutoCloseable {
    @Override
    public void close() {
      result.close();
    }
  }

  private Result runBatch(List<int[]> sequences, int[] batch, int width, String output) {
    long[] ids = new long[batch.length * width];
    long[] mask = new long[batch.length * width];
    Arrays.fill(ids, padId);
    int real = 0;
    for (int b = 0; b < batch.length; b++) {
      int[] s = sequences.get(batch[b]);
      for (int t = 0; t < s.length; t++) {
        ids[b * width + t] = s[t];
        mask[b * width + t] = 1;
      }
      real += s.length;
    }
    realTokens.addAndGet(real);
    paddedTokens.addAndGet((long) batch.length * width - real);
    batches.incrementAndGet();
    long[] shape = {batch.length, width};
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      if (tokenTypes) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape));
      }
      OrtSession.Result result = session.run(inputs, Set.of(output), runOptions);
      return new Result(result, ((OnnxTensor) result.get(0)).getFloatBuffer());
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.length + " x " + width
          + " tokens: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  /** Padding slots / all slots over every batch run so far (0 when nothing ran). */
  public double paddingRatio() {
    long pad = paddedTokens.get();
    long all = pad + realTokens.get();
    return all == 0 ? 0 : (double) pad / all;
  }

  public long batchCount() {
    return batches.get();
  }

  /** Slots of every batch run so far that held a token of a sequence. */
  public long realTokens() {
    return realTokens.get();
  }

  /** Slots of every batch run so far that held padding. */
  public long paddedTokens() {
    return paddedTokens.get();
  }

  @Override
  public int hiddenSize() {
    return hiddenSize;
  }

  @Override
  public String device() {
    return device;
  }

  /** Why CUDA was asked for but the CPU runs this model, or {@code null}. */
  public String fallbackReason() {
    return fallbackReason;
  }

  @Override
  public void close() {
    try (runOptions) {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
