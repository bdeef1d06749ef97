package dev.modernbert.cluster;

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

/** The pure parts of {@code bench vs-neural}: its long documents, its coverage count and its chart. */
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
  void coverageCountsOverlappingChunksOnce() throws Exception {
    var chunks = JsonFiles.mapper().readTree(
        "[{\"start\":0,\"end\":10},{\"start\":8,\"end\":20},{\"start\":25,\"end\":30}]");
    assertEquals(10 + 10 + 5, VsNeuralBenchmark.coveredCharacters(chunks));
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
}
