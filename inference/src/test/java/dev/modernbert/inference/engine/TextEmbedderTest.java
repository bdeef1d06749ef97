package dev.modernbert.inference.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.testing.TestModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token limit: {@code embed} truncates and says so, {@code embedWhole} refuses, both exactly at the limit. */
class TextEmbedderTest {
  private static final String PREFIX = "検索クエリ: ";
  private static final String TEXT = "瑠璃色は紫みを帯びた濃い青で、宝石の瑠璃に由来する色の名前です。";

  @TempDir static Path cache;
  private static LoadedModel model;
  private static int tokens;

  @BeforeAll
  static void load() {
    model = LoadedModel.load(TestModels.folder(ModelShape.TINY), EngineSettings.defaults().withCacheDir(cache));
    tokens = model.tokenizer().ids(PREFIX + TEXT).length;
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void aTextThatFitsIsEmbeddedWholeEitherWay() {
    TextEmbedder exact = model.embedder(tokens);
    TextEmbedder.Embedding e = exact.embed(List.of(TEXT), PREFIX, true).get(0);
    assertEquals(tokens, e.tokens());
    assertFalse(e.truncated());
    assertArrayEquals(e.vector(), exact.embedWhole(TEXT, PREFIX, true), 0f);
    double squares = 0;
    for (float x : e.vector()) {
      squares += x * x;
    }
    assertEquals(1.0, squares, 1e-5, "normalized");
  }

  @Test
  void oneTokenOverTheLimitIsTruncatedByEmbedAndRefusedByEmbedWhole() {
    TextEmbedder short1 = model.embedder(tokens - 1);
    TextEmbedder.Embedding e = short1.embed(List.of(TEXT), PREFIX, true).get(0);
    assertEquals(tokens - 1, e.tokens());
    assertTrue(e.truncated());
    TokenLimitException refused = assertThrows(TokenLimitException.class, () -> short1.embedWhole(TEXT, PREFIX, true));
    assertTrue(refused.getMessage().contains("is " + tokens + " tokens"), refused.getMessage());
    assertTrue(refused.getMessage().contains("limit of " + (tokens - 1)), refused.getMessage());
  }
}
