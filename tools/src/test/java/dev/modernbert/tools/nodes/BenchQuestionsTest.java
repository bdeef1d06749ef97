package dev.modernbert.tools.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.corpus.JsquadCorpus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchQuestionsTest {
  @Test
  void setsCutConsecutiveRunsOfTheCorpusQuestionsThatNoOtherRunAsks() throws Exception {
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    List<String> asked = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      BenchQuestions q = BenchQuestions.slice(corpus, n, 5);
      for (List<String> run : List.of(q.warmUp(), q.alone(), q.duringIngest(), q.concurrent())) {
        assertEquals(5, run.size());
        asked.addAll(run);
      }
    }
    List<String> expected = corpus.questions().subList(0, 40).stream().map(JsquadCorpus.Question::text).toList();
    assertEquals(expected, asked, "sets 0 and 1 take the first 40 questions in order, run after run");
  }

  @Test
  void aSetBeyondTheCorpusIsRefusedWithTheCountsNamed() throws Exception {
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    int total = corpus.questions().size();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchQuestions.slice(corpus, 1, total / 4));
    assertTrue(e.getMessage().contains("the corpus has " + total), e.getMessage());
  }
}
