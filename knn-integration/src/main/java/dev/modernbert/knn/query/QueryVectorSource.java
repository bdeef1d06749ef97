package dev.modernbert.knn.query;

import org.opensearch.common.Nullable;
import org.opensearch.core.action.ActionListener;

/** Where the {@code modernbert_knn} query gets the vector of its text, on the coordinating node. */
@FunctionalInterface
public interface QueryVectorSource {
  /**
   * Embeds {@code text} for a search on {@code field}, answering {@code listener} from another thread or at once
   * (from a cache); never blocks the caller.
   *
   * @param model the model, or {@code null} for the one the searched indices write {@code field} with
   * @param prefix the text's prefix, or {@code null} for the model's query prefix
   * @param indices the index expressions the search names, or {@code null} where they are not known
   */
  void embed(String field, @Nullable String model, String text, @Nullable String prefix, @Nullable String[] indices,
      ActionListener<float[]> listener);
}
