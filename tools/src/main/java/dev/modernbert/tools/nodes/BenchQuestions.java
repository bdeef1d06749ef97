package dev.modernbert.tools.nodes;

import dev.modernbert.inference.corpus.JsquadCorpus;
import java.util.List;

/**
 * Four runs of JSQuAD questions that no other run asks, so that no run finds its text cached: to warm up on, to
 * time alone, to time during ingest, and to send from several clients at once.
 */
record BenchQuestions(List<String> warmUp, List<String> alone, List<String> duringIngest, List<String> concurrent) {
  /** The {@code n}-th set of four runs of {@code count} questions each: text no other set asks. */
  static BenchQuestions slice(JsquadCorpus corpus, int n, int count) {
    int total = corpus.questions().size();
    if (4L * (n + 1) * count > total) {
      throw new IllegalArgumentException("four runs of " + count + " questions for set " + n + " need "
          + 4L * (n + 1) * count + " questions; the corpus has " + total);
    }
    List<String> all = corpus.questions().subList(4 * n * count, 4 * (n + 1) * count).stream()
        .map(JsquadCorpus.Question::text).toList();
    return new BenchQuestions(all.subList(0, count), all.subList(count, 2 * count), all.subList(2 * count, 3 * count),
        all.subList(3 * count, 4 * count));
  }
}
