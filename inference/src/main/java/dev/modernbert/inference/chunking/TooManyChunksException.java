package dev.modernbert.inference.chunking;

/** A text needs more chunks than {@code max_chunks} allows; nothing is silently truncated. */
public final class TooManyChunksException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TooManyChunksException(String message) {
    super(message);
  }
}
