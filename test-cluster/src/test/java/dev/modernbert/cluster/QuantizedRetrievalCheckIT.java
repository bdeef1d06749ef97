package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.engine.Quantization;
import dev.modernbert.inference.runtime.Int8ProductProbe;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The retrieval check on an OpenSearch node whose linear layers run in int8
 * ({@code plugins.modernbert.quantization: int8}): {@code modernbert_knn} equals brute force over the int8 engine's
 * vectors (the inherited check), the node says it runs int8, and int8 keeps the retrieval of fp32: on every third
 * JSQuAD question, Recall@10 within {@value #RECALL_GATE} and MRR@10 within {@value #MRR_GATE} of exact search over
 * the fp32 engine's vectors of the same passages.
 */
class QuantizedRetrievalCheckIT extends RetrievalCheck {
  private static final double RECALL_GATE = 0.005;
  private static final double MRR_GATE = 0.01;

  @Override
  SearchEngine engine() {
    return SearchEngine.OPENSEARCH;
  }

  @Override
  int port() {
    return 9450;
  }

  @Override
  Quantization quantization() {
    return Quantization.INT8;
  }

  @Test
  void theNodeReportsInt8AndItsWeightsWidth() throws Exception {
    Http.Response r = http.get("/_plugins/_modernbert/models");
    assertEquals(200, r.status(), r.body().toString());
    JsonNode nodes = r.body().path("nodes");
    assertEquals(1, nodes.size(), r.body().toString());
    String weights = Int8ProductProbe.exactWeights().description();
    nodes.forEach(node -> {
      assertEquals("int8", node.path("quantization").asText(), node.toString());
      assertEquals(weights, node.path("int8_weights").asText(), "the width this CPU multiplies exactly: " + node);
    });
  }

  @Test
  void int8KeepsTheRecallAndMrrOfFp32() throws Exception {
    List<JsquadCorpus.Question> questions = IntStream.range(0, corpus.questions().size()).filter(i -> i % 3 == 0)
        .mapToObj(corpus.questions()::get).toList();
    BruteForce fp32 = bruteForce(questions, Quantization.NONE);
    double[] found = new double[2];
    double[] reciprocalRank = new double[2];
    for (int i = 0; i < questions.size(); i++) {
      String answer = String.valueOf(questions.get(i).paragraph());
      List<List<String>> rankings = List.of(top10("jsquad", questions.get(i).text()), fp32.top10(i));
      for (int k = 0; k < 2; k++) {
        int rank = rankings.get(k).indexOf(answer);
        found[k] += rank >= 0 ? 1 : 0;
        reciprocalRank[k] += rank >= 0 ? 1.0 / (rank + 1) : 0;
      }
    }
    int n = questions.size();
    System.out.printf("int8 retrieval (bge-small-zh, %d questions): modernbert_knn on the int8 node Recall@10 %.3f"
        + " MRR@10 %.3f; fp32 exact search Recall@10 %.3f MRR@10 %.3f%n", n, found[0] / n, reciprocalRank[0] / n,
        found[1] / n, reciprocalRank[1] / n);
    assertTrue(found[1] / n - found[0] / n <= RECALL_GATE, "Recall@10 int8 " + found[0] / n + " fp32 " + found[1] / n);
    assertTrue(reciprocalRank[1] / n - reciprocalRank[0] / n <= MRR_GATE,
        "MRR@10 int8 " + reciprocalRank[0] / n + " fp32 " + reciprocalRank[1] / n);
  }
}
