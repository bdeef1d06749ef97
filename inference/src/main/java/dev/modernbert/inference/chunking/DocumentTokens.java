package dev.modernbert.inference.chunking;

import dev.modernbert.inference.tokenizer.ModelTokenizer;
import dev.modernbert.inference.tokenizer.TokenizedText;
import java.util.Arrays;

/**
 * The token character ranges of a whole document, tokenized in segments of bounded size so that time and
 * memory stay linear in the document's length. Segments end at sentence ends where possible; the exact
 * tokenization of each final window is checked again by the chunker, so a segment seam can never make a
 * window exceed its limit.
 */
final class DocumentTokens {
  /** Segment length in chars: large enough to amortize the call, small enough to bound the lattice. */
  static final int SEGMENT = 4096;

  private final int[] starts;
  private final int[] ends;

  private DocumentTokens(int[] starts, int[] ends) {
    this.starts = starts;
    this.ends = ends;
  }

  static DocumentTokens of(ModelTokenizer tokenizer, String text) {
    int[] starts = new int[Math.max(16, text.length() / 2)];
    int[] ends = new int[starts.length];
    int count = 0;
    int from = 0;
    while (from < text.length()) {
      int to = segmentEnd(text, from);
      TokenizedText t = tokenizer.encode(text.substring(from, to));
      int n = t.length() - 2;
      if (count + n > starts.length) {
        int grow = Math.max(count + n, starts.length * 2);
        starts = Arrays.copyOf(starts, grow);
        ends = Arrays.copyOf(ends, grow);
      }
      for (int i = 1; i <= n; i++) {
        starts[count] = from + t.starts()[i];
        ends[count] = from + t.ends()[i];
        count++;
      }
      from = to;
    }
    return new DocumentTokens(Arrays.copyOf(starts, count), Arrays.copyOf(ends, count));
  }

  private static int segmentEnd(String text, int from) {
    int limit = Math.min(text.length(), from + SEGMENT);
    if (limit == text.length()) {
      return limit;
    }
    for (int p = limit; p > from + SEGMENT / 2; p--) {
      if (Boundary.endsSentence(text, p)) {
        return p;
      }
    }
    int p = limit;
    while (!Boundary.isCharBoundary(text, p)) {
      p--;
    }
    return p;
  }

  int size() {
    return starts.length;
  }

  int start(int token) {
    return starts[token];
  }

  int end(int token) {
    return ends[token];
  }
}
