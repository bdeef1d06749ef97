package dev.modernbert.inference.engine;

/** A text that has to be embedded whole has more tokens than the model takes. */
public final class TokenLimitException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TokenLimitException(int tokens, int maxTokens) {
    super("the text is " + tokens + " tokens with its prefix and <s></s>, over the model's limit of " + maxTokens
        + " tokens; shorten it");
  }
}
