package dev.modernbert.inference.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.chunking.Boundary;
import dev.modernbert.inference.chunking.Chunk;
import dev.modernbert.inference.chunking.ChunkingOptions;
import dev.modernbert.inference.chunking.LateChunker;
import dev.modernbert.inference.chunking.TooManyChunksException;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.stats.InferenceStats;
import dev.modernbert.inference.testing.TestModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents embedded together keep each vector with its chunk: every chunk's vector equals the vector of its own
 * text embedded alone, the document vector is the token-weighted mean, and a document that cannot be chunked
 * fails alone.
 */
class DocumentEmbedderTest {
  private static final String PREFIX = "検索文書: ";
  /** Vectors of the same text batched differently differ by float rounding only. */
  private static final double COSINE_TOLERANCE = 1e-5;

  @TempDir static Path cache;
  private static LoadedModel model;

  @BeforeAll
  static void load() {
    model = LoadedModel.load(TestModels.folder(ModelShape.TINY), EngineSettings.defaults().withCacheDir(cache));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void eachChunkKeepsItsOwnVectorAndABadDocumentFailsAlone() {
    ChunkingOptions options = new ChunkingOptions(24, 0, Boundary.SENTENCE, 0, 20);
    List<String> texts = List.of("東京は日本の首都です。大阪は西日本の商業都市として長く栄えてきました。京都には古い寺が多い。"
        + "札幌の冬は雪が深く、祭りには多くの人が集まります。那覇。", "", "これは文です。".repeat(400),
        "短い文書。");
    InferenceStats stats = new InferenceStats();
    List<DocumentEmbedder.Outcome> out = new DocumentEmbedder(model, options, PREFIX, stats).embed(texts);

    assertEquals(texts.size(), out.size());
    assertTrue(out.get(2).error() instanceof TooManyChunksException, String.valueOf(out.get(2).error()));
    assertTrue(out.get(1).chunks().isEmpty());
    assertNull(out.get(1).documentVector());
    TextEmbedder alone = model.embedder(24);
    int chunks = 0;
    for (int d : new int[] {0, 3}) {
      DocumentEmbedder.Outcome o = out.get(d);
      assertNull(o.error());
      float[] weighted = new float[o.documentVector().length];
      int previousEnd = 0;
      for (DocumentEmbedder.EmbeddedChunk c : o.chunks()) {
        assertEquals(previousEnd, c.start(), "document " + d + ": chunks tile the text");
        previousEnd = c.end();
        TextEmbedder.Embedding expected =
            alone.embed(List.of(texts.get(d).substring(c.start(), c.end())), PREFIX, true).get(0);
        assertEquals(expected.tokens(), c.tokens(), "document " + d + " chunk at " + c.start());
        assertEquals(1.0, Pooling.cosine(expected.vector(), c.vector()), COSINE_TOLERANCE, "document " + d + " chunk at " + c.start());
        for (int i = 0; i < weighted.length; i++) {
          weighted[i] += c.tokens() * c.vector()[i];
        }
      }
      assertEquals(texts.get(d).length(), previousEnd, "document " + d + ": nothing dropped");
      assertEquals(1.0, Pooling.cosine(weighted, o.documentVector()), COSINE_TOLERANCE);
      chunks += o.chunks().size();
    }
    assertTrue(out.get(0).chunks().size() > 1, "the first document needs several windows of 24 tokens");
    assertEquals(chunks, stats.chunks.sum(), "the failed text adds no chunks");
    assertEquals(0, stats.documents.sum() + stats.failures.sum(), "documents are the caller's to count");
  }

  @Test
  void lateChunksOfDocumentsEmbeddedTogetherEqualEachDocumentEmbeddedAlone() {
    ChunkingOptions options = new ChunkingOptions(40, 0, Boundary.SENTENCE, 10, 12);
    List<String> texts = List.of("瑠璃色は紫みを帯びた濃い青。名は半貴石の瑠璃による。空の色にも例えられる！海の色はどうだろうか？",
        "短い文書。", "", "これは文です。".repeat(400), "京都には古い寺が多い。札幌の冬は雪が深く、祭りには多くの人が集まります。");
    LateChunker alone = new LateChunker(model.tokenizer(), model.encoder(), options.cappedAt(
        model.folder().maxTokens()), PREFIX);
    for (int groupTokens : new int[] {DocumentEmbedder.LATE_GROUP_TOKENS, 30}) {
      List<DocumentEmbedder.Outcome> out =
          new DocumentEmbedder(model, options, PREFIX, new InferenceStats(), groupTokens).embed(texts);
      assertEquals(texts.size(), out.size());
      assertTrue(out.get(3).error() instanceof TooManyChunksException, String.valueOf(out.get(3).error()));
      assertTrue(out.get(2).chunks().isEmpty());
      for (int d : new int[] {0, 1, 4}) {
        List<LateChunker.Span> expected = alone.embed(texts.get(d));
        List<DocumentEmbedder.EmbeddedChunk> chunks = out.get(d).chunks();
        assertEquals(expected.size(), chunks.size(), "document " + d);
        for (int i = 0; i < chunks.size(); i++) {
          Chunk e = expected.get(i).chunk();
          DocumentEmbedder.EmbeddedChunk c = chunks.get(i);
          assertEquals(List.of(e.start(), e.end(), e.tokens()), List.of(c.start(), c.end(), c.tokens()));
          assertEquals(1.0, Pooling.cosine(expected.get(i).vector(), c.vector()), COSINE_TOLERANCE,
              "group of " + groupTokens + " tokens, document " + d + " span " + i);
        }
      }
      assertTrue(out.get(0).chunks().size() > 1, "the first document has several late chunks");
    }
  }
}
