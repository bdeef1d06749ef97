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
      int first = count;
      for (int i = 1; i <= n; i++) {
        starts[count] = from + t.starts()[i];
        ends[count] = from + t.ends()[i];
        count++;
      }
      spreadByteRuns(text, starts, ends, first, count);
      from = to;
    }
    return new DocumentTokens(Arrays.copyOf(starts, count), Arrays.copyOf(ends, count));
  }

  /**
   * Gives byte-fallback tokens the characters they encode. The tokenizer reports every byte token of a run of
   * byte-encoded characters (emoji, rare kanji) with the range of the whole run, so a run of 5,000 emoji would look
   * like one unsplittable unit of 20,000 tokens. A run of tokens sharing one range whose count is the range's UTF-8
   * length is such a run: its k-th token gets the code point holding byte k. The chunker re-tokenizes every window,
   * so these offsets only guide where windows are cut.
   */
  private static void spreadByteRuns(String text, int[] starts, int[] ends, int from, int to) {
    int i = from;
    while (i < to) {
      int j = i + 1;
      while (j < to && starts[j] == starts[i] && ends[j] == ends[i]) {
        j++;
      }
      int runStart = starts[i];
      int runEnd = ends[i];
      if (j - i > 1 && j - i == utf8Length(text, runStart, runEnd)) {
        int token = i;
        for (int c = runStart; c < runEnd; c += Character.charCount(text.codePointAt(c))) {
          int cp = text.codePointAt(c);
          for (int b = 0; b < utf8Length(cp); b++, token++) {
            starts[token] = c;
            ends[token] = c + Character.charCount(cp);
          }
        }
      }
      i = j;
    }
  }

  private static int utf8Length(String text, int start, int end) {
    int bytes = 0;
    for (int c = start; c < end; c += Character.charCount(text.codePointAt(c))) {
      bytes += utf8Length(text.codePointAt(c));
    }
    return bytes;
  }

  private static int utf8Length(int codePoint) {
    return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
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
