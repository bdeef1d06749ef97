package dev.modernbert.tools.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.tokenizer.ModelTokenizer;
import dev.modernbert.inference.testing.TestModels;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of {@code bench vs-neural}: its long documents, its chart. */
class VsNeuralBenchmarkTest {
  @TempDir Path dir;

  @Test
  void longDocumentsAreWholeParagraphsUpToTheTokenLimit() throws Exception {
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    try (ModelTokenizer tokenizer = ModelTokenizer.load(TestModels.folder(ModelShape.TINY))) {
      List<String> docs = VsNeuralBenchmark.longDocuments(tokenizer, corpus, 2, 2000);
      assertEquals(2, docs.size());
      int next = 0;
      for (String doc : docs) {
        int tokens = tokenizer.encode(doc).length();
        assertTrue(tokens <= 2000 && tokens > 1500, "close to the limit without passing it: " + tokens);
        StringBuilder expected = new StringBuilder();
        while (expected.length() < doc.length()) {
          expected.append(corpus.paragraphs().get(next++).text()).append('\n');
        }
        assertEquals(expected.toString(), doc, "consecutive whole paragraphs, the next document going on from there");
      }
    }
  }

  @Test
  void chartHasOnePanelPerMeasure() throws Exception {
    Path png = dir.resolve("chart.png");
    BarChart.write(png, "title", "ours", "theirs", List.of(new BarChart.Panel("ingest", "docs/s", 50, 52),
        new BarChart.Panel("query p50", "ms", 4.4, 19.6), new BarChart.Panel("covered", "%", 100, 6.5)));
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(3 * BarChart.PANEL_WIDTH, image.getWidth());
    assertTrue(image.getHeight() > 200);
  }

  @Test
  void panelTitlesWrapWithinAPanel() {
    java.awt.FontMetrics metrics = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics()
        .getFontMetrics(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 12));
    String title = "8k-token docs in passages: passages ending at a sentence end";
    List<String> lines = BarChart.lines(metrics, title, 200);
    assertTrue(lines.size() > 1, "wrapped: " + lines);
    assertEquals(title, String.join(" ", lines), "no word lost or split");
    lines.forEach(l -> assertTrue(metrics.stringWidth(l) <= 200, l));
    assertEquals(List.of("short"), BarChart.lines(metrics, "short", 200));
  }

  @Test
  void panelsShowWhatEachSideDoesAndMediansButNoTailSaveASearchsDuringIngest() throws Exception {
    var rows = (com.fasterxml.jackson.databind.node.ArrayNode) JsonFiles.mapper().readTree("""
        [{"measure":"JSQuAD paragraphs: ingest","unit":"docs/s","modernbert":50,"incumbent":52},
         {"measure":"~8k-token documents in passages: passages ending at a sentence end","unit":"%",
          "modernbert":100,"incumbent":3},
         {"measure":"~8k-token documents: share of each document its vectors cover","unit":"%","modernbert":100,
          "incumbent":6.5},
         {"measure":"query p90, cached text (modernbert_knn vs neural)","unit":"ms","modernbert":8,"incumbent":28},
         {"measure":"query p90, new text during _bulk ingest (modernbert_knn vs neural)","unit":"ms",
          "modernbert":18,"incumbent":900},
         {"measure":"query p99, new text during _bulk ingest (modernbert_knn vs neural)","unit":"ms",
          "modernbert":26,"incumbent":1100},
         {"measure":"JSQuAD paragraphs: the model's GFLOP/s","unit":"GFLOP/s","modernbert":200,"incumbent":190},
         {"measure":"queries/s, new text, 8 query clients at once (modernbert_knn vs neural)","unit":"queries/s",
          "modernbert":140,"incumbent":90},
         {"measure":"query p50, k-NN only, vector given (nested passages vs one vector per document)","unit":"ms",
          "modernbert":5,"incumbent":3}]
        """);
    List<BarChart.Panel> panels = VsNeuralBenchmark.panels(rows);
    assertEquals(List.of("JSQuAD paragraphs: ingest", "8k-token docs in passages: passages ending at a sentence end",
        "8k-token docs: text covered", "query p90, new text during _bulk ingest",
        "queries/s, new text, 8 query clients at once", "query p50, k-NN only, vector given"),
        panels.stream().map(BarChart.Panel::title).toList());
    assertEquals(3, panels.get(1).theirs());
  }
}
