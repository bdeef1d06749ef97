package dev.modernbert.tools.nodes;

import dev.modernbert.inference.chunking.Boundary;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a document's passages lie in it, and what they cover: for comparing chunkers that report offsets (ours)
 * with those that store only the passage strings (neural-search's {@code text_chunking}, whose passages are
 * substrings of the document in order, overlapping by its overlap rate).
 */
final class PassageSpans {
  /** Characters {@code [start, end)} of the document. */
  record Span(int start, int end) {}

  private PassageSpans() {}

  /**
   * Finds each passage in {@code text}, each at or after the previous one's start.
   *
   * @throws IllegalArgumentException naming the first passage that is not there
   */
  static List<Span> locate(String text, List<String> passages) {
    List<Span> spans = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < passages.size(); i++) {
      String p = passages.get(i);
      int at = text.indexOf(p, from);
      if (at < 0) {
        throw new IllegalArgumentException("passage " + i + " is not a substring of its document after character "
            + from);
      }
      spans.add(new Span(at, at + p.length()));
      from = at + 1;
    }
    return spans;
  }

  /** Characters inside at least one span; {@code spans} are in order of their start. */
  static int covered(List<Span> spans) {
    int covered = 0;
    int reached = 0;
    for (Span s : spans) {
      covered += Math.max(0, s.end() - Math.max(reached, s.start()));
      reached = Math.max(reached, s.end());
    }
    return covered;
  }

  /** How many spans end where a sentence ends (this project's rule, {@link Boundary#endsSentence}) or at the end. */
  static int endingAtSentenceEnds(String text, List<Span> spans) {
    int n = 0;
    for (Span s : spans) {
      if (s.end() == text.length() || Boundary.endsSentence(text, s.end())) {
        n++;
      }
    }
    return n;
  }
}
