package dev.modernbert.inference.tokenizer;

/**
 * Token ids of one text, framed by {@code <s>} and {@code </s>}, with each token's character range in the
 * encoded string (Java {@code String} indexes; special tokens have an empty range at their position).
 */
public record TokenizedText(int[] ids, int[] starts, int[] ends) {

  /** Number of tokens, special tokens included. */
  public int length() {
    return ids.length;
  }
}
