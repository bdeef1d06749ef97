package dev.modernbert.inference.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modernbert.inference.model.InvalidModelException;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.testing.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tokenizer reproduces the published ModernBERT-Ja token ids exactly, from either tokenizer file. */
class ModelTokenizerTest {
  private static ModelTokenizer fromModelFile;
  private static ModelTokenizer fromJsonFile;

  @BeforeAll
  static void load() {
    fromModelFile = ModelTokenizer.load(TestModels.tokenizerOnly());
    fromJsonFile = ModelTokenizer.load(TestModels.folder(ModelShape.TINY));
  }

  @AfterAll
  static void close() {
    fromModelFile.close();
    fromJsonFile.close();
  }

  record Golden(String text, int[] ids, int[] bare) {}

  static List<Golden> goldenCases() throws IOException {
    try (InputStream in = ModelTokenizerTest.class.getResourceAsStream("/modernbert-ja-tokenizer/golden-token-ids.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      List<Golden> out = new ArrayList<>();
      for (JsonNode c : root.get("cases")) {
        out.add(new Golden(c.get("text").asText(), ints(c.get("ids")), ints(c.get("bare"))));
      }
      return out;
    }
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  @Test
  void everyGoldenCaseIsExactFromTokenizerModel() throws IOException {
    List<Golden> cases = goldenCases();
    assertEquals(27, cases.size());
    for (Golden g : cases) {
      assertArrayEquals(g.ids(), fromModelFile.ids(g.text()), () -> "text " + g.text());
      assertEquals(g.bare().length + 2, g.ids().length);
    }
  }

  @Test
  void everyGoldenCaseIsExactFromGeneratedTokenizerJson() throws IOException {
    for (Golden g : goldenCases()) {
      assertArrayEquals(g.ids(), fromJsonFile.ids(g.text()), () -> "text " + g.text());
    }
  }

  @Test
  void publishedSingleTokens() {
    assertArrayEquals(new int[] {1, 13085, 2}, fromModelFile.ids("Hello"));
    String[] words = {"晴れ", "曇り", "くもり", "雨", "快晴"};
    int[] ids = {16416, 28933, 92339, 2988, 52525};
    for (int i = 0; i < words.length; i++) {
      assertArrayEquals(new int[] {1, ids[i], 2}, fromModelFile.ids(words[i]), words[i]);
    }
  }

  @Test
  void maskLiteralIsTheMaskToken() {
    int[] ids = fromModelFile.ids("おはようございます、今日の天気は<mask>です。");
    assertTrue(Arrays.stream(ids).anyMatch(id -> id == 5), "<mask> becomes id 5");
  }

  @Test
  void offsetsAreStringIndexesEvenWithSurrogatePairs() {
    String text = "a🚀b今日は晴れ。\r\n次の文";
    TokenizedText t = fromModelFile.encode(text);
    assertEquals(0, t.starts()[0]);
    assertEquals(0, t.ends()[0]);
    assertEquals(text.length(), t.starts()[t.length() - 1]);
    int covered = 0;
    for (int i = 1; i < t.length() - 1; i++) {
      assertTrue(t.starts()[i] <= t.ends()[i] && t.ends()[i] <= text.length());
      assertTrue(t.starts()[i] >= covered || t.starts()[i] == t.starts()[i - 1], "offsets do not go backwards");
      covered = Math.max(covered, t.ends()[i]);
    }
    assertEquals(text.length(), covered, "tokens cover the whole text");
    // the rocket is one code point but two chars: the token after it starts at index 3
    int bIndex = text.indexOf('b');
    boolean found = false;
    for (int i = 1; i < t.length() - 1; i++) {
      found |= t.starts()[i] == bIndex && text.substring(t.starts()[i], t.ends()[i]).startsWith("b");
    }
    assertTrue(found, "a token starts exactly at 'b' (index " + bIndex + ")");
  }

  @Test
  void truncationKeepsClosingToken() {
    int[] ids = fromModelFile.ids("今日は晴れです。明日は雨です。");
    int[] cut = Truncation.keepEnd(ids, 4);
    assertEquals(4, cut.length);
    assertEquals(1, cut[0]);
    assertEquals(2, cut[3]);
    assertArrayEquals(ids, Truncation.keepEnd(ids, ids.length));
  }

  @Test
  void missingTokenizerIsAClearError() {
    var e = assertThrows(InvalidModelException.class, () -> ModelTokenizer.load(Path.of("src/test/java")));
    assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
  }
}
