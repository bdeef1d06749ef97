package dev.modernbert.inference.onnx;

import java.util.Map;

/**
 * Where the per-token layers run: on the batch's [B, S] slots, padding included ({@link #padded}), or on its real
 * tokens only, packed into one row [1, T] ({@link #packed}; MODERNBERT.md §3.9's unpadded path). Only attention
 * mixes tokens and only RoPE needs each token's position in its row, so a packed graph unpacks q, k and v to
 * [B, S] before both and packs attention's output again: padding then costs those two alone instead of every
 * linear layer and the MLP, most of a short text's FLOPs.
 *
 * <p>Right padding is assumed (what the encoder sends), so unpacking puts every token back in its slot.
 */
final class TokenPacking {
  private final OnnxGraphBuilder g;
  private final int d;
  /** int64 [T]: the flat slot (row · S + column) of each real token, in row-major order; null when padded. */
  private final String tokens;
  /** int64 [B·S]: for each slot the packed index of its token (of the row's last token for padding). */
  private final String slots;
  /** int64 [3]: B, S, d. */
  private final String paddedShape;

  private TokenPacking(OnnxGraphBuilder g, int d, String tokens, String slots, String paddedShape) {
    this.g = g;
    this.d = d;
    this.tokens = tokens;
    this.slots = slots;
    this.paddedShape = paddedShape;
  }

  /** Per-token layers on every slot: packing and unpacking are the identity. */
  static TokenPacking padded(OnnxGraphBuilder g) {
    return new TokenPacking(g, 0, null, null, null);
  }

  /** Per-token layers on the real tokens of {@code mask} (int64 [B, S], right-padded), hidden size {@code d}. */
  static TokenPacking packed(OnnxGraphBuilder g, String mask, int d) {
    String flatMask = g.op("Reshape", mask, g.ints(-1));
    String tokens = g.op("Squeeze", g.op("NonZero", flatMask), g.ints(0));
    String slots = g.op("Max", g.op("Sub", g.op("CumSum", flatMask, axis(g, 0)), g.ints(1)), g.ints(0));
    String paddedShape = g.op("Concat", new String[] {g.op("Shape", mask), g.ints(d)}, Map.of("axis", 0));
    return new TokenPacking(g, d, tokens, slots, paddedShape);
  }

  private static String axis(OnnxGraphBuilder g, long axis) {
    return g.op("Squeeze", g.ints(axis), g.ints(0));
  }

  /** The slots {@code tokens} of {@code x} reshaped to {@code flat} (slots first), as one row: [1, T, …]. */
  private static String oneRow(OnnxGraphBuilder g, String x, String tokens, long... flat) {
    return g.op("Unsqueeze", g.op("Gather", g.op("Reshape", x, g.ints(flat)), tokens), g.ints(0));
  }

  /** {@code ids} int64 [B, S] as the layers take them: [1, T] packed, unchanged padded. */
  String ids(String ids) {
    return tokens == null ? ids : oneRow(g, ids, tokens, -1);
  }

  /** [B, S, d] to this layout. */
  String pack(String x) {
    return tokens == null ? x : oneRow(g, x, tokens, -1, d);
  }

  /** A tensor in this layout to [B, S, d]; padding slots hold a copy of a real token (attention masks them). */
  String unpack(String x) {
    return tokens == null ? x : g.op("Reshape", g.op("Gather", g.op("Reshape", x, g.ints(-1, d)), slots),
        paddedShape);
  }
}
