package dev.modernbert.tools.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.tools.nodes.PassageSpans.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassageSpansTest {
  private static final String TEXT = "東京は日本の首都です。人口が多い。大阪は西にある。";

  @Test
  void locatesOverlappingPassagesInOrder() {
    // text_chunking's passages overlap; a repeated passage string is found at its next occurrence
    List<Span> spans = PassageSpans.locate("ああいああい", List.of("ああい", "いあ", "ああい"));
    assertEquals(List.of(new Span(0, 3), new Span(2, 4), new Span(3, 6)), spans);
  }

  @Test
  void aPassageNotInTheDocumentIsNamed() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> PassageSpans.locate(TEXT, List.of("東京は", "名古屋")));
    assertTrue(e.getMessage().contains("passage 1"), e.getMessage());
  }

  @Test
  void coverageCountsOverlapsOnceAndGapsNever() {
    assertEquals(10 + 10 + 5, PassageSpans.covered(List.of(new Span(0, 10), new Span(8, 20), new Span(25, 30))));
    assertEquals(10, PassageSpans.covered(List.of(new Span(0, 10), new Span(2, 5))), "a span inside another");
  }

  @Test
  void countsSpansEndingAtSentenceEndsOrTheDocumentEnd() {
    int firstSentence = TEXT.indexOf('。') + 1;
    List<Span> spans = List.of(new Span(0, firstSentence), new Span(0, 5), new Span(firstSentence, TEXT.length()));
    assertEquals(2, PassageSpans.endingAtSentenceEnds(TEXT, spans));
    assertEquals(1, PassageSpans.endingAtSentenceEnds(TEXT + "続き", List.of(new Span(0, TEXT.length() + 1),
        new Span(0, TEXT.length() + 2))), "the end of the document counts even without a full stop");
  }
}
