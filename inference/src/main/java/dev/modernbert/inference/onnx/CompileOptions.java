package dev.modernbert.inference.onnx;

import dev.modernbert.inference.pooling.Pooling;

/**
 * What the compiled graph computes besides the encoder itself.
 *
 * @param attention how local layers attend: {@link AttentionMode#BLOCKED} (O(n·window)) or
 *     {@link AttentionMode#FULL} (masked O(n²), what a Hugging Face export does)
 * @param pooling the pooling of the {@code sentence_embedding} output
 * @param normalize whether {@code sentence_embedding} is L2-normalized in the graph
 */
public record CompileOptions(AttentionMode attention, Pooling pooling, boolean normalize) {

  /** How local (sliding-window) layers are evaluated. */
  public enum AttentionMode {
    BLOCKED,
    FULL;

    /** Parses {@code blocked} / {@code full}. */
    public static AttentionMode parse(String s) {
      return switch (s) {
        case "blocked" -> BLOCKED;
        case "full" -> FULL;
        default -> throw new IllegalArgumentException("attention must be blocked or full, got \"" + s + "\"");
      };
    }
  }

  /** A short stable description, part of the compile-cache key. */
  public String key() {
    return attention.name().toLowerCase(java.util.Locale.ROOT) + "-" + pooling.name().toLowerCase(java.util.Locale.ROOT)
        + (normalize ? "-l2" : "");
  }
}
