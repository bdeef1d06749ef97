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
  private final String mask;

  /**
   * Prepares the shared tensors for half-window {@code w}, head dimension {@code headDim}, key-valid mask
   * {@code maskF} [B, S] (float 0/1) and {@code seqLen} (int64 [1] holding S).
   */
  SlidingWindowAttention(OnnxGraphBuilder g, int w, int headDim, String maskF, String seqLen) {
    this.g = g;
    this.block = w;
    this.headDim = headDim;
    this.seqLen = seqLen;
    String b = g.ints(block);
    // P = (b − S mod b) mod b pads S up to N = S + P, a multiple of b
    this.pad = g.op("Mod", g.op("Sub", b, g.op("Mod", seqLen, b)), b);
    this.blockedLen = g.op("Add", seqLen, pad);
    this.blockedPlus1 = g.op("Add", blockedLen, b);
    this.blockedPlus2 = g.op("Add", blockedLen, g.ints(2L * block));
    String keyValid = windows(g.op("Pad", maskF, g.op("Concat", new String[] {g.ints(0, block, 0), blockedPadEnd()},
        Map.of("axis", 0))), 1, new long[] {0, -1, block});
    String keyMask = g.op("Mul", g.op("Sub", keyValid, g.scalar(1f)), g.scalar(-ModernBertGraphCompiler.MASKED));
    // [B, nb, 3b] -> [B, 1, nb, 1, 3b], plus the constant band [b, 3b]
    this.mask = g.op("Add", g.op("Unsqueeze", keyMask, g.ints(1, 3)), band());
  }

  /** Pads' end on the sequence axis: P + b. */
  private String blockedPadEnd() {
    return g.op("Add", pad, g.ints(block));
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
  private String windows(String padded, int axis, long[] blockShape) {
    String axes = g.ints(axis);
    String[] views = {
        g.op("Slice", padded, g.ints(0), blockedLen, axes),
        g.op("Slice", padded, g.ints(block), blockedPlus1, axes),
        g.op("Slice", padded, g.ints(2L * block), blockedPlus2, axes)};
    for (int i = 0; i < 3; i++) {
      views[i] = g.op("Reshape", views[i], g.ints(blockShape));
    }
    return g.op("Concat", views, Map.of("axis", axis + 1));
  }

  /** Attention of {@code q}, {@code k}, {@code v} [B, H, S, D] (after RoPE) under the window; returns [B, H, S, D]. */
  String attend(String q, String k, String v, float scale) {
    long[] blocked = {0, 0, -1, block, headDim};
    String qPads = g.op("Concat", new String[] {g.ints(0, 0, 0, 0, 0, 0), pad, g.ints(0)}, Map.of("axis", 0));
    String kvPads = g.op("Concat", new String[] {g.ints(0, 0, block, 0, 0, 0), blockedPadEnd(), g.ints(0)},
        Map.of("axis", 0));
    String qBlocks = g.op("Reshape", g.op("Pad", q, qPads), g.ints(blocked));
    String kWin = windows(g.op("Pad", k, kvPads), 2, blocked);
    String vWin = windows(g.op("Pad", v, kvPads), 2, blocked);
    String kT = g.op("Transpose", new String[] {kWin}, Map.of("perm", new long[] {0, 1, 2, 4, 3}));
    String scores = g.op("Add", g.op("Mul", g.op("MatMul", qBlocks, kT), g.scalar(scale)), mask);
    String o = g.op("MatMul", g.op("Softmax", new String[] {scores}, Map.of("axis", -1)), vWin);
    return g.op("Slice", g.op("Reshape", o, g.ints(0, 0, -1, headDim)), g.ints(0), seqLen, g.ints(2));
  }
}
