package dev.modernbert.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import dev.modernbert.inference.random.RandomTokens;
import dev.modernbert.inference.reference.ReferenceEncoder;
import dev.modernbert.inference.runtime.DeviceSpec;
import dev.modernbert.inference.runtime.Int8ProductProbe;
import dev.modernbert.inference.runtime.OnnxEncoder;
import dev.modernbert.inference.runtime.OnnxSessions;
import dev.modernbert.inference.runtime.TokenBudgetBatcher;
import dev.modernbert.inference.testing.TestModels;
import dev.modernbert.inference.testing.Vectors;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compiled graph equals the plain-Java reference (MODERNBERT.md §3) for every length around the block and
 * window edges, alone and in padded mixed-length batches, in both attention modes (blocked: with and without
 * full attention for short sequences), with the per-token layers on packed tokens and on every slot. Tolerances:
 * max |Δ| on
 * last_hidden_state ≤ 1e-4, pooled cosine ≥ 0.99999 (fp32).
 */
class OnnxExactnessTest {
  private static final int[] LENGTHS = {1, 2, 63, 64, 65, 128, 129, 130, 200, 300, 1000};
  private static final double MAX_ABS = 1e-4;
  private static final double MIN_COSINE = 0.99999;
  private static final double FP16_MAX_ABS = 0.02;
  private static final double FP16_MIN_COSINE = 0.9999;
  private static final int INT8_EXACT_UP_TO = 2;
  private static final double INT8_MIN_COSINE = 0.9995;

  /**
   * Full attention; blocks with full attention for short sequences (the default); blocks at every length; all
   * with packed tokens, and the default and full attention (what the export writes) on every slot.
   */
  private static List<CompileOptions> graphs(Pooling pooling) {
    CompileOptions full = new CompileOptions(CompileOptions.AttentionMode.FULL, pooling, false);
    CompileOptions blocked = new CompileOptions(CompileOptions.AttentionMode.BLOCKED, pooling, false);
    return List.of(full, blocked, new CompileOptions(CompileOptions.AttentionMode.BLOCKED, pooling, false, 0),
        full.withPackedTokens(false), blocked.withPackedTokens(false));
  }

  @TempDir static Path cache;

  static Stream<Arguments> checkpoints() {
    return Stream.of(
        Arguments.of(new RandomCheckpointWriter.Options(ModelShape.TINY, 7, DType.F32, false)),
        Arguments.of(new RandomCheckpointWriter.Options(ModelShape.TINY, 8, DType.BF16, false)),
        Arguments.of(new RandomCheckpointWriter.Options(ModelShape.TINY, 9, DType.F32, true)),
        Arguments.of(new RandomCheckpointWriter.Options(ModelShape.TINY, 11, DType.F32, false, true)),
        Arguments.of(new RandomCheckpointWriter.Options(ModelShape.M30, 7, DType.F32, false)),
        Arguments.of(new RandomCheckpointWriter.Options(ModelShape.M30, 10, DType.BF16, true)));
  }

  /**
   * fp16 runs slowly on CPU: two tiny checkpoints (one with every bias) and one 30m (BF16 weights, {@code model.}
   * prefix).
   */
  static Stream<Arguments> fp16Checkpoints() {
    return Stream.of(
        Arguments.of(new RandomCheckpointWriter.Options(ModelShape.TINY, 7, DType.F32, false)),
        Arguments.of(new RandomCheckpointWriter.Options(ModelShape.TINY, 11, DType.F32, false, true)),
        Arguments.of(new RandomCheckpointWriter.Options(ModelShape.M30, 10, DType.BF16, true)));
  }

  @ParameterizedTest
  @MethodSource("checkpoints")
  void compiledGraphEqualsReference(RandomCheckpointWriter.Options options) throws Exception {
    ModelFolder folder = ModelFolder.open(TestModels.folder(options));
    Expected expected = Expected.of(folder, options.seed());
    for (CompileOptions graph : graphs(folder.profile().pooling())) {
      for (int budget : new int[] {1, 1 << 16}) {
        // budget 1 runs every sequence alone; 64k with any padding puts them all in one right-padded batch
        expected.check(folder, graph, budget, options + " budget " + budget, MAX_ABS, MIN_COSINE);
      }
    }
  }

  /**
   * The fp16 graph (for CUDA; ONNX Runtime's CPU provider runs it too, which is how it is checked here) follows the
   * reference within float16's precision: pooled cosine ≥ {@value #FP16_MIN_COSINE}, max |Δ| on
   * last_hidden_state ≤ {@value #FP16_MAX_ABS} (hidden states are LayerNorm outputs of order 1; fp16 keeps ~3
   * decimal digits; measured worst over these cases: 0.0099 and 0.999999).
   */
  @ParameterizedTest
  @MethodSource("fp16Checkpoints")
  void fp16GraphFollowsTheReference(RandomCheckpointWriter.Options options) throws Exception {
    ModelFolder folder = ModelFolder.open(TestModels.folder(options));
    Expected expected = Expected.of(folder, options.seed());
    for (CompileOptions graph : graphs(folder.profile().pooling())) {
      expected.check(folder, graph.withPrecision(CompileOptions.Precision.FP16), 1 << 16, options.toString(),
          FP16_MAX_ABS, FP16_MIN_COSINE);
    }
  }

  /**
   * The int8 graph follows the reference run in the same int8 arithmetic ({@link ReferenceEncoder#int8Linear}), not
   * fp32, in every attention mode, packed or not, alone and batched.
   *
   * <ul>
   *   <li>Sequences of {@value #INT8_EXACT_UP_TO} tokens or fewer: max |Δ| ≤ {@value #MAX_ABS} (measured 7e-7),
   *       where int8 and fp32 differ by more than 100 times that (asserted), so an fp32 graph fails here.
   *   <li>Every length: pooled cosine ≥ {@value #INT8_MIN_COSINE} (measured worst 0.99968, paired 8-bit weights at
   *       30m, length 65; 7-bit and unsigned 8-bit 0.99980 or better). Float32 in the graph against double in the
   *       reference now and then puts a value on the other side of a rounding step, and each such step moves later
   *       values across further steps; in a deep, long sequence the difference grows to a fraction of int8's own
   *       noise (pooled cosine to fp32 0.9988–0.9996 there). This bound catches batch-dependent scales (cosine
   *       about 0.99); the short sequences catch wrong arithmetic.
   * </ul>
   * The weights are in the format the engine uses on this CPU ({@link Int8ProductProbe}), and on one checkpoint
   * also in 8 bits (unsigned, which every CPU multiplies exactly), the arithmetic CPUs with VNNI run.
   * {@link Int8LinearTest} checks one layer bit for bit.
   */
  @ParameterizedTest
  @MethodSource("int8Checkpoints")
  void int8GraphEqualsTheInt8Reference(RandomCheckpointWriter.Options options, Int8Weights format)
      throws Exception {
    ModelFolder folder = ModelFolder.open(TestModels.folder(options));
    int[] shortLengths = Arrays.stream(LENGTHS).filter(n -> n <= INT8_EXACT_UP_TO).toArray();
    Expected exact = Expected.of(folder, options.seed(), format, shortLengths);
    Expected fp32 = Expected.of(folder, options.seed(), null, shortLengths);
    for (int i = 0; i < shortLengths.length; i++) {
      double int8Error = Vectors.maxAbsDiff(fp32.hidden().get(i), exact.hidden().get(i));
      assertTrue(int8Error > 100 * MAX_ABS, "length " + shortLengths[i] + ": int8 against fp32 max |Δ| " + int8Error);
    }
    Expected close = Expected.of(folder, options.seed(), format, LENGTHS);
    for (CompileOptions graph : graphs(folder.profile().pooling())) {
      CompileOptions int8 = graph.withInt8Weights(format);
      for (int budget : new int[] {1, 1 << 16}) {
        exact.check(folder, int8, budget, options + " budget " + budget, MAX_ABS, MIN_COSINE);
        close.check(folder, int8, budget, options + " budget " + budget, Double.POSITIVE_INFINITY, INT8_MIN_COSINE);
      }
    }
  }

  static Stream<Arguments> int8Checkpoints() {
    Int8Weights engine = Int8ProductProbe.exactWeights();
    RandomCheckpointWriter.Options m30 = new RandomCheckpointWriter.Options(ModelShape.M30, 10, DType.BF16, true);
    return Stream.of(
        Arguments.of(new RandomCheckpointWriter.Options(ModelShape.TINY, 7, DType.F32, false), engine),
        Arguments.of(new RandomCheckpointWriter.Options(ModelShape.TINY, 9, DType.F32, true), engine),
        Arguments.of(m30, engine),
        Arguments.of(m30, Int8Weights.UNSIGNED_8_BIT));
  }

  /**
   * {@code last_hidden_state} is exactly zero in padding slots, packed or not, whichever row of the batch is the
   * longest.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void paddingSlotsAreZero(boolean packTokens) throws Exception {
    ModelFolder folder = ModelFolder.open(TestModels.folder(ModelShape.TINY));
    CompileOptions graph = new CompileOptions(CompileOptions.AttentionMode.BLOCKED, folder.profile().pooling(), false)
        .withPackedTokens(packTokens);
    int[] lengths = {5, 70, 1};
    int width = 70;
    long[] ids = new long[lengths.length * width];
    long[] mask = new long[ids.length];
    Arrays.fill(ids, folder.padTokenId());
    for (int b = 0; b < lengths.length; b++) {
      int[] s = RandomTokens.ids(lengths[b], 100L + b);
      for (int t = 0; t < s.length; t++) {
        ids[b * width + t] = s[t];
        mask[b * width + t] = 1;
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = {lengths.length, width};
    try (OrtSession session = env.createSession(CompiledModelCache.graph(folder, graph, cache).toString());
        OnnxTensor idsT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OrtSession.Result r = session.run(Map.of("input_ids", idsT, "attention_mask", maskT))) {
      float[][][] hidden = (float[][][]) r.get(OnnxEncoder.HIDDEN_OUTPUT).get().getValue();
      for (int b = 0; b < lengths.length; b++) {
        for (int t = lengths[b]; t < width; t++) {
          for (float x : hidden[b][t]) {
            assertTrue(x == 0f, graph.key() + " row " + b + " slot " + t + ": " + x);
          }
        }
      }
    }
  }

  /**
   * A batch may hold more real tokens than the model has positions (16 × 600 > 8192, as a CUDA budget of 16k
   * tokens makes): every row still embeds as it does alone (max |Δ| ≤ 1e-5; the same kernels, another batch).
   */
  @Test
  void batchWithMoreTokensThanPositionsEmbedsEachRowAsAlone() throws Exception {
    ModelFolder folder = ModelFolder.open(TestModels.folder(ModelShape.TINY));
    CompileOptions graph = new CompileOptions(CompileOptions.AttentionMode.BLOCKED, folder.profile().pooling(), false);
    List<int[]> sequences = new ArrayList<>();
    for (int b = 0; b < 16; b++) {
      sequences.add(RandomTokens.ids(600 - b, 300L + b));
    }
    int tokens = sequences.stream().mapToInt(s -> s.length).sum();
    assertTrue(tokens > folder.config().maxPositionEmbeddings(), tokens + " tokens");
    List<float[][]> batched;
    List<float[][]> alone;
    try (OnnxEncoder encoder = encoder(folder, graph, 1 << 16)) {
      batched = encoder.hiddenStates(sequences);
    }
    try (OnnxEncoder encoder = encoder(folder, graph, 1)) {
      alone = encoder.hiddenStates(sequences);
    }
    for (int b = 0; b < sequences.size(); b++) {
      double diff = Vectors.maxAbsDiff(alone.get(b), batched.get(b));
      assertTrue(diff <= 1e-5, "row " + b + ": max |Δ| " + diff);
    }
  }

  /**
   * A text's vector does not depend on its batch, in fp32 and in int8, where it matters most: a per-tensor
   * activation scale would move the vector by the batch's largest activation (cosine 0.988 measured on
   * bge-small-zh), and an ulp of difference anywhere is carried by int8's rounding steps across the vector. Each of
   * these sequences (20 to 575 tokens) embeds alone as it does in one padded batch with the others, packed or on
   * every slot: its hidden states bit for bit, and its pooled vector to float rounding (max |Δ| ≤ 1e-6: the mean
   * sums over the batch's padded length). Per-token activation scales make each token's quantization its own, and
   * up to {@value ModernBertGraphCompiler#MASKED_GLOBAL_ATTENTION_UP_TO} tokens global layers run the same attention
   * kernel alone as in a padded batch.
   */
  @ParameterizedTest
  @CsvSource({"true, true", "false, true", "true, false"})
  void vectorIsTheSameAloneAndInABatch(boolean packTokens, boolean int8) throws Exception {
    ModelFolder folder = ModelFolder.open(TestModels.folder(ModelShape.M30));
    CompileOptions fp32 = new CompileOptions(CompileOptions.AttentionMode.BLOCKED, folder.profile().pooling(), false)
        .withPackedTokens(packTokens);
    CompileOptions graph = int8 ? fp32.withInt8Weights(Int8ProductProbe.exactWeights()) : fp32;
    List<int[]> sequences = new ArrayList<>();
    for (int b = 0; b < 16; b++) {
      sequences.add(RandomTokens.ids(20 + 37 * b, 500L + b));
    }
    Embedded batched = Embedded.of(folder, graph, 1 << 16, sequences);
    Embedded alone = Embedded.of(folder, graph, 1, sequences);
    for (int b = 0; b < sequences.size(); b++) {
      String row = graph.key() + " row " + b + " of " + sequences.get(b).length + " tokens";
      for (int t = 0; t < sequences.get(b).length; t++) {
        assertArrayEquals(alone.hidden().get(b)[t], batched.hidden().get(b)[t], row + ", token " + t);
      }
      double diff = Vectors.maxAbsDiff(new float[][] {alone.pooled().get(b)},
          new float[][] {batched.pooled().get(b)});
      assertTrue(diff <= 1e-6, row + ": pooled max |Δ| " + diff);
    }
  }

  /** Hidden states and pooled vectors of sequences embedded in batches of {@code budget} tokens. */
  private record Embedded(List<float[][]> hidden, List<float[]> pooled) {
    static Embedded of(ModelFolder folder, CompileOptions graph, int budget, List<int[]> sequences) throws Exception {
      try (OnnxEncoder encoder = encoder(folder, graph, budget)) {
        return new Embedded(encoder.hiddenStates(sequences), encoder.embeddings(sequences));
      }
    }
  }

  /** The reference's hidden states and pooled vectors for a few random sequences. */
  private record Expected(List<int[]> sequences, List<float[][]> hidden, List<float[]> pooled) {
    static Expected of(ModelFolder folder, long seed) {
      return of(folder, seed, null, LENGTHS);
    }

    /**
     * With the reference in int8 with weights stored as {@code int8}, or in double precision when it is null, for
     * one sequence of each of {@code lengths}.
     */
    static Expected of(ModelFolder folder, long seed, Int8Weights int8, int[] lengths) {
      ReferenceEncoder reference = new ReferenceEncoder(folder.loadWeights(), folder.profile().pooling(), int8);
      List<int[]> sequences = new ArrayList<>();
      for (int n : lengths) {
        sequences.add(RandomTokens.ids(n, n * 31L + seed));
      }
      return new Expected(sequences, reference.hiddenStates(sequences), reference.embeddings(sequences));
    }

    /** Runs {@code graph} in batches of {@code budget} tokens and compares every sequence within the tolerances. */
    void check(ModelFolder folder, CompileOptions graph, int budget, String what, double maxAbs, double minCosine)
        throws Exception {
      try (OnnxEncoder encoder = encoder(folder, graph, budget)) {
        List<float[][]> actual = encoder.hiddenStates(sequences);
        List<float[]> actualPooled = encoder.embeddings(sequences);
        for (int i = 0; i < sequences.size(); i++) {
          int length = sequences.get(i).length;
          String at = what + " " + graph.key() + " length " + length;
          assertEquals(length, actual.get(i).length, at);
          double diff = Vectors.maxAbsDiff(hidden.get(i), actual.get(i));
          assertTrue(diff <= maxAbs, at + ": max |Δ| " + diff);
          double cos = Pooling.cosine(pooled.get(i), actualPooled.get(i));
          assertTrue(cos >= minCosine, at + ": pooled cosine " + cos);
        }
      }
    }
  }

  private static OnnxEncoder encoder(ModelFolder folder, CompileOptions graph, int budget) throws Exception {
    return new OnnxEncoder(OnnxSessions.open(CompiledModelCache.graph(folder, graph, cache), DeviceSpec.parse("cpu"),
        EngineSettings.defaults().intraOpThreads()), folder.hiddenSize(), folder.padTokenId(),
        new TokenBudgetBatcher(budget, 1.0), folder.profile().pooling());
  }
}
