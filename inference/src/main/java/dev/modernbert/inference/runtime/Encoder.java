package dev.modernbert.inference.runtime;

import java.util.List;

/**
 * Runs the encoder: token ids in, {@code last_hidden_state} or pooled vectors out. Implementations are
 * thread-safe.
 */
public interface Encoder extends AutoCloseable {

  /** Per-token states {@code [length][hiddenSize]} of each sequence, in input order. */
  List<float[][]> hiddenStates(List<int[]> sequences);

  /** The pooled (not normalized) vector of each sequence, in input order. */
  List<float[]> embeddings(List<int[]> sequences);

  /** Width of each token state. */
  int hiddenSize();

  /** Where this encoder runs, e.g. {@code cpu}, {@code cuda:0}, {@code reference}. */
  String device();

  @Override
  default void close() {}
}
