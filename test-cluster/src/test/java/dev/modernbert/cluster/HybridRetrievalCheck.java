package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.model.JsonFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The retrieval check plus what keywords add, on either edition: BM25 with the plugin's Japanese analyzer and
 * {@code modernbert_hybrid} against meaning alone, on paragraphs and on long documents.
 */
abstract class HybridRetrievalCheck extends RetrievalCheck {
  private static final int PARAGRAPHS_PER_DOCUMENT = 20;
  private static final String LONG_INDEX = "jsquad-long";

  /** Documents of {@value #PARAGRAPHS_PER_DOCUMENT} consecutive paragraphs each, cut into passages by the processor. */
  @BeforeAll
  void indexLongDocuments() throws IOException {
    IndexSetup.createIndex(http, LONG_INDEX, IndexSetup.indexBody(http, MODEL, "bge", 1, 0));
    StringBuilder bulk = new StringBuilder();
    for (int doc = 0; doc * PARAGRAPHS_PER_DOCUMENT < corpus.paragraphs().size(); doc++) {
      StringBuilder body = new StringBuilder();
      for (int i = doc * PARAGRAPHS_PER_DOCUMENT;
          i < Math.min((doc + 1) * PARAGRAPHS_PER_DOCUMENT, corpus.paragraphs().size()); i++) {
        body.append(corpus.paragraphs().get(i).text()).append("\n\n");
      }
      bulk.append("{\"index\":{\"_id\":\"").append(doc).append("\"}}\n")
          .append(JsonFiles.mapper().createObjectNode().put("body", body.toString())).append('\n');
    }
    Http.Response r = http.bulk("/" + LONG_INDEX + "/_bulk?refresh=true", bulk.toString());
    assertFalse(r.body().path("errors").asBoolean(), r.body().toString());
  }

  /**
   * Keyword (BM25 over the passages with the plugin's Japanese analyzer), meaning ({@code modernbert_knn}) and both
   * ({@code modernbert_hybrid}, with equal weights and with BM25 weighted 2) on every third JSQuAD question:
   * Recall@10 and MRR@10 of the paragraph that answers it, printed for BENCHMARKS.md. The fusion must find clearly
   * more than meaning alone: what keywords add.
   */
  @Test
  void hybridFindsMoreThanMeaningAlone() throws Exception {
    List<JsquadCorpus.Question> questions = IntStream.range(0, corpus.questions().size()).filter(i -> i % 3 == 0)
        .mapToObj(corpus.questions()::get).toList();
    String[] kinds = {"bm25", "knn", "hybrid", "hybrid bm25_weight 2"};
    double[] found = new double[kinds.length];
    double[] reciprocalRank = new double[kinds.length];
    for (JsquadCorpus.Question q : questions) {
      String text = JsonFiles.mapper().writeValueAsString(q.text());
      String[] bodies = {"{\"nested\":{\"path\":\"body_chunks\",\"score_mode\":\"max\",\"query\":{\"match\":"
          + "{\"body_chunks.text\":" + text + "}}}}",
          "{\"modernbert_knn\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + text + ",\"k\":10}}",
          "{\"modernbert_hybrid\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + text + "}}",
          "{\"modernbert_hybrid\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + text
              + ",\"bm25_weight\":2}}"};
      for (int k = 0; k < kinds.length; k++) {
        int rank = ids("jsquad", bodies[k]).indexOf(String.valueOf(q.paragraph()));
        found[k] += rank >= 0 ? 1 : 0;
        reciprocalRank[k] += rank >= 0 ? 1.0 / (rank + 1) : 0;
      }
    }
    for (int k = 0; k < kinds.length; k++) {
      System.out.printf("retrieval quality (" + engine().id() + "): %s Recall@10 %.3f MRR@10 %.3f (%d questions)%n", kinds[k],
          found[k] / questions.size(), reciprocalRank[k] / questions.size(), questions.size());
    }
    assertTrue(found[2] >= found[1] + 0.03 * questions.size(), "hybrid Recall@10 " + found[2] / questions.size()
        + " against meaning alone " + found[1] / questions.size());
  }

  /**
   * The same three on long documents (20 paragraphs each, about 3,400 characters, cut into passages): Recall@10 and
   * MRR@10 of the document holding the question's paragraph, and how often the first document's best passage
   * contains the answer, which is what a RAG application reads. Printed for BENCHMARKS.md; the fusion must find at
   * least what meaning alone finds.
   */
  @Test
  void hybridOnLongDocumentsFindsAtLeastWhatMeaningFinds() throws Exception {
    List<JsquadCorpus.Question> questions = IntStream.range(0, corpus.questions().size()).filter(i -> i % 3 == 0)
        .mapToObj(corpus.questions()::get).toList();
    String[] kinds = {"bm25", "knn", "hybrid"};
    double[] found = new double[kinds.length];
    double[] reciprocalRank = new double[kinds.length];
    double[] answerInBestPassage = new double[kinds.length];
    String passage = "\"inner_hits\":{\"size\":1,\"_source\":[\"body_chunks.text\"]}";
    for (JsquadCorpus.Question q : questions) {
      String text = JsonFiles.mapper().writeValueAsString(q.text());
      String[] bodies = {"{\"nested\":{\"path\":\"body_chunks\",\"score_mode\":\"max\",\"query\":{\"match\":"
          + "{\"body_chunks.text\":" + text + "}}," + passage + "}}",
          "{\"modernbert_knn\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + text + ",\"k\":10,"
              + passage + "}}",
          "{\"modernbert_hybrid\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + text + "," + passage
              + "}}"};
      String expected = String.valueOf(q.paragraph() / PARAGRAPHS_PER_DOCUMENT);
      for (int k = 0; k < kinds.length; k++) {
        Http.Response r = http.post("/" + LONG_INDEX + "/_search", "{\"size\":10,\"_source\":false,\"query\":"
            + bodies[k] + "}");
        assertEquals(200, r.status(), r.body().toString());
        JsonNode hits = r.body().path("hits").path("hits");
        List<String> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.path("_id").asText()));
        int rank = ids.indexOf(expected);
        found[k] += rank >= 0 ? 1 : 0;
        reciprocalRank[k] += rank >= 0 ? 1.0 / (rank + 1) : 0;
        JsonNode best = hits.path(0).path("inner_hits").path("body_chunks").path("hits").path("hits").path(0);
        answerInBestPassage[k] += best.path("_source").path("text").asText().contains(q.answer()) ? 1 : 0;
      }
    }
    for (int k = 0; k < kinds.length; k++) {
      System.out.printf("retrieval quality (" + engine().id() + "), long documents: %s Recall@10 %.3f MRR@10 %.3f answer in the best"
          + " passage %.3f (%d questions)%n", kinds[k], found[k] / questions.size(),
          reciprocalRank[k] / questions.size(), answerInBestPassage[k] / questions.size(), questions.size());
    }
    assertTrue(found[2] >= found[1], "hybrid Recall@10 " + found[2] / questions.size() + " against meaning alone "
        + found[1] / questions.size());
  }
}
