package dev.modernbert.inference.onnx;

import java.util.Map;

/**
 * Exact sliding-window attention in plain ONNX operators, blocked so cost and memory grow as O(n·window)
 * (MODERNBERT.md §7.4). Queries are cut into blocks of {@code b = w} tokens; block {@code k} attends to key
 * blocks {@code k−1, k, k+1} (3b keys), with a constant band mask that admits exactly the keys with
 * {@code |i − j| ≤ w}, plus the key-padding mask. Masked keys contribute exact zeros, so the result equals
 * masked full attention up to summation order.
 *
 * <p>The masks and padded lengths depend only on the batch, so they are built once per graph and shared by
 * every local layer.
 */
final class SlidingWindowAttention {
  private final OnnxGraphBuilder g;
  private final int block;
  private final int headDim;
  private final String seqLen;
  private final String pad;
  private final String blockedLen;
  private final String blockedPlus1;
  private final String blockedPlus2;
  /** P + b: how far keys and values are padded at the end of the sequence axis. */
  private final String padEnd;
  private final String mask;
  /** Whether q, k and v are float16 (the softmax still runs in fp32). */
  private final boolean half;

  /**
   * Prepares the shared tensors for half-window {@code w}, head dimension {@code headDim}, key-valid mask
   * {@code maskF} [B, S] (float 0/1), {@code seqLen} (int64 [1] holding S) and whether q, k, v are float16.
   */
  SlidingWindowAttention(OnnxGraphBuilder g, int w, int headDim, String maskF, String seqLen, boolean half) {
    this.g = g;
    this.half = half;
    this.block = w;
    this.headDim = headDim;
    this.seqLen = seqLen;
    String b = g.ints(block);
    // P = (b − S mod b) mod b pads S up to N = S + P, a multiple of b
    this.pad = g.op("Mod", g.op("Sub", b, g.op("Mod", seqLen, b)), b);
    this.blockedLen = g.op("Add", seqLen, pad);
    this.blockedPlus1 = g.op("Add", blockedLen, b);
    this.blockedPlus2 = g.op("Add", blockedLen, g.ints(2L * block));
    this.padEnd = g.op("Add", pad, b);
    String keyValid = windows(g, g.op("Pad", maskF, g.op("Concat", new String[] {g.ints(0, block, 0), padEnd},
        Map.of("axis", 0))), 1, new long[] {0, -1, block});
    String keyMask = g.op("Mul", g.op("Sub", keyValid, g.scalar(1f)), g.scalar(-ModernBertGraphCompiler.MASKED));
    // [B, nb, 3b] -> [B, 1, nb, 1, 3b], plus the constant band [b, 3b]
    this.mask = g.op("Add", g.op("Unsqueeze", keyMask, g.ints(1, 3)), band());
  }

  /** Constant [b, 3b]: 0 where key column c is within w of query row r (|c − b − r| ≤ w), else masked. */
  private String band() {
    float[] m = new float[block * 3 * block];
    for (int r = 0; r < block; r++) {
      for (int c = 0; c < 3 * block; c++) {
        m[r * 3 * block + c] = Math.abs(c - block - r) <= block ? 0f : ModernBertGraphCompiler.MASKED;
      }
    }
    return g.floats("local_band_" + block, m, block, 3L * block);
  }

  /**
   * The three shifted views [0, N), [b, N + b), [2b, N + 2b) of {@code padded} along {@code axis}, each reshaped
   * with {@code blockShape}, concatenated along the axis after the block index.
   */
  private String windows(OnnxGraphBuilder b, String padded, int axis, long[] blockShape) {
    String axes = b.ints(axis);
    String[] views = {
        b.op("Slice", padded, b.ints(0), blockedLen, axes),
        b.op("Slice", padded, b.ints(block), blockedPlus1, axes),
        b.op("Slice", padded, b.ints(2L * block), blockedPlus2, axes)};
    for (int i = 0; i < 3; i++) {
      views[i] = b.op("Reshape", views[i], b.ints(blockShape));
    }
    return b.op("Concat", views, Map.of("axis", axis + 1));
  }

  /**
   * Attention of {@code q}, {@code k}, {@code v} [B, H, S, D] (after RoPE) under the window, emitted into
   * {@code b} (the graph or one of its subgraphs); returns [B, H, S, D].
   */
  String attend(OnnxGraphBuilder b, String q, String k, String v, float scale) {
    long[] blocked = {0, 0, -1, block, headDim};
    String qPads = b.op("Concat", new String[] {b.ints(0, 0, 0, 0, 0, 0), pad, b.ints(0)}, Map.of("axis", 0));
    String kvPads = b.op("Concat", new String[] {b.ints(0, 0, block, 0, 0, 0), padEnd, b.ints(0)}, Map.of("axis", 0));
    String qBlocks = b.op("Reshape", b.op("Pad", q, qPads), b.ints(blocked));
    String kWin = windows(b, b.op("Pad", k, kvPads), 2, blocked);
    String vWin = windows(b, b.op("Pad", v, kvPads), 2, blocked);
    String kT = b.op("Transpose", new String[] {kWin}, Map.of("perm", new long[] {0, 1, 2, 4, 3}));
    String o = ModernBertGraphCompiler.maskedAttention(b, qBlocks, kT, vWin, mask, scale, half);
    return b.op("Slice", b.op("Reshape", o, b.ints(0, 0, -1, headDim)), b.ints(0), seqLen, b.ints(2));
  }
}
