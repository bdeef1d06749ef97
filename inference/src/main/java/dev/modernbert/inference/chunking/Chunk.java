package dev.modernbert.inference.chunking;

/**
 * One window of a document: {@code text.substring(start, end)}, and the number of model tokens it takes when
 * encoded with its prefix, {@code <s>} and {@code </s>}.
 */
public record Chunk(int start, int end, int tokens) {

  /** The chunk's text within {@code document}. */
  public String text(String document) {
    return document.substring(start, end);
  }
}
