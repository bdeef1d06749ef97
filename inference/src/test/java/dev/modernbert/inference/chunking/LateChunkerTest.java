package dev.modernbert.inference.chunking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.reference.ReferenceEncoder;
import dev.modernbert.inference.runtime.DeviceSpec;
import dev.modernbert.inference.testing.TestModels;
import dev.modernbert.inference.tokenizer.TokenizedText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late-chunk vectors equal the mean of the matching rows of the window's last_hidden_state computed by the
 * reference engine (within 1e-4), under the documented rule: a span pools the tokens that start inside it,
 * plus {@code <s>} and the prefix for the window's first span and {@code </s>} for its last.
 */
class LateChunkerTest {
  @TempDir Path cache;

  private static final String TEXT = "瑠璃色は紫みを帯びた濃い青。名は半貴石の瑠璃による。\n"
      + "JIS慣用色名では「こい紫みの青」と定義している。空の色にも例えられる！海の色はどうだろうか？"
      + "🚀ロケットの色ではない。最後の文です。";

  @Test
  void spanVectorsAreMeansOfTheWindowStates() {
    Path dir = TestModels.folder(ModelShape.TINY);
    ModelFolder folder = ModelFolder.open(dir);
    ReferenceEncoder reference = new ReferenceEncoder(folder.loadWeights(), folder.profile().pooling());
    String prefix = "検索文書: ";
    for (int overlap : new int[] {0, 6}) {
      ChunkingOptions o = new ChunkingOptions(40, overlap, Boundary.SENTENCE, 10, 1000);
      try (LoadedModel m = LoadedModel.load(dir, EngineSettings.defaults().withDevice(DeviceSpec.parse("cpu"))
          .withCacheDir(cache))) {
        LateChunker late = new LateChunker(m.tokenizer(), m.encoder(), o, prefix);
        List<LateChunker.Span> spans = late.embed(TEXT);
        assertEquals(0, spans.get(0).chunk().start());
        assertEquals(TEXT.length(), spans.get(spans.size() - 1).chunk().end());
        int i = 0;
        for (LateChunker.WindowSpans ws : late.plan(TEXT)) {
          TokenizedText t = m.tokenizer().encode(prefix + ws.window().text(TEXT));
          float[][] rows = reference.forward(t.ids(), t.length());
          for (int s = 0; s < ws.spans().size(); s++) {
            Chunk span = ws.spans().get(s);
            LateChunker.Span actual = spans.get(i++);
            assertEquals(span.start(), actual.chunk().start(), "spans tile the text");
            assertEquals(span.end(), actual.chunk().end());
            List<float[]> picked = new ArrayList<>();
            for (int r = 0; r < t.length(); r++) {
              boolean framing = r == 0 || t.starts()[r] < prefix.length();
              int at = ws.window().start() + t.starts()[r] - prefix.length();
              boolean take = r == t.length() - 1 ? s == ws.spans().size() - 1
                  : framing ? s == 0 && ws.regionStart() == ws.window().start() : at >= span.start() && at < span.end();
              if (take) {
                picked.add(rows[r]);
              }
            }
            assertEquals(picked.size(), actual.chunk().tokens(), "rows pooled for span " + span);
            for (int c = 0; c < rows[0].length; c++) {
              double mean = 0;
              for (float[] row : picked) {
                mean += row[c];
              }
              mean /= picked.size();
              assertEquals(mean, actual.vector()[c], 1e-4, "span " + span + " dim " + c);
            }
          }
        }
        assertEquals(i, spans.size());
        assertTrue(spans.size() >= 5, "about one span per 10 tokens: " + spans.size());
      }
    }
  }
}
