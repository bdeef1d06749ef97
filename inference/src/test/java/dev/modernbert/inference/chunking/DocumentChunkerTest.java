package dev.modernbert.inference.chunking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.testing.TestModels;
import dev.modernbert.inference.tokenizer.ModelTokenizer;
import dev.modernbert.inference.tokenizer.TokenizedText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the chunker over real Japanese documents (JSQuAD paragraphs joined into 1k–200k
 * characters) and adversarial texts, for many settings: windows tile (or, with overlap, cover) the text,
 * never exceed max_tokens when re-tokenized with their prefix, end at a sentence boundary whenever their
 * last quarter has one, never split a surrogate pair or CRLF, and are deterministic.
 */
class DocumentChunkerTest {
  private static ModelTokenizer tokenizer;
  private static List<String> documents;

  @BeforeAll
  static void setUp() throws IOException {
    tokenizer = ModelTokenizer.load(TestModels.tokenizerOnly());
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    documents = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(17);
    String[] joins = {"\n\n", "\n", "", "\r\n"};
    int p = 0;
    for (int target : new int[] {1_000, 5_000, 20_000, 60_000, 200_000}) {
      StringBuilder b = new StringBuilder();
      while (b.length() < target) {
        JsquadCorpus.Paragraph para = corpus.paragraphs().get(p++ % corpus.paragraphs().size());
        b.append(para.title()).append('\n').append(para.text()).append(joins[r.nextInt(joins.length)]);
      }
      documents.add(b.toString());
    }
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  static List<String> adversarial() {
    String noPunctuation = "日本語の文章で句読点がまったくない長い文字列が続きます".repeat(400);
    String emoji = "🚀😀👍🏽🇯🇵".repeat(500);
    String spaces = " ".repeat(5000);
    String crlf = "一行目です。\r\n二行目\r\n\r\n三行目です！\r\nabc def\r\n".repeat(300);
    String oneLine = "長い一行のテキストで改行がありません、しかし読点はあります".repeat(3500).substring(0, 100_000);
    return List.of(noPunctuation, emoji, spaces, crlf, oneLine, "短い。", " ", "a");
  }

  private static void checkProperties(String text, ChunkingOptions o, String prefix) {
    DocumentChunker chunker = new DocumentChunker(tokenizer, o, prefix);
    List<DocumentChunker.EncodedChunk> encoded = chunker.encodedChunks(text);
    List<Chunk> chunks = encoded.stream().map(DocumentChunker.EncodedChunk::chunk).toList();
    String where = o + " prefix \"" + prefix + "\" text of " + text.length();
    assertFalse(chunks.isEmpty(), where);
    assertEquals(0, chunks.get(0).start(), where);
    assertEquals(text.length(), chunks.get(chunks.size() - 1).end(), where);
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      assertTrue(c.start() < c.end(), where + " chunk " + i + " is empty");
      if (i > 0) {
        Chunk prev = chunks.get(i - 1);
        if (o.overlapTokens() == 0) {
          assertEquals(prev.end(), c.start(), where + ": chunks tile the text");
        } else {
          assertTrue(c.start() > prev.start() && c.start() <= prev.end(), where + ": overlapping chunks cover the text");
        }
      }
      assertTrue(Boundary.isCharBoundary(text, c.start()) && Boundary.isCharBoundary(text, c.end()), where);
      int[] ids = tokenizer.ids(prefix + c.text(text));
      assertArrayEquals(ids, encoded.get(i).ids(), where + ": chunk " + i + "'s ids are its text's");
      int tokens = ids.length;
      assertEquals(tokens, c.tokens(), where + ": reported tokens");
      assertTrue(tokens <= o.maxTokens(), where + " chunk " + i + " has " + tokens + " tokens");
      if (i < chunks.size() - 1 && o.boundary() == Boundary.SENTENCE && !Boundary.endsSentence(text, c.end())) {
        assertNoBoundaryInLastQuarter(text, c, where + " chunk " + i);
      }
    }
    assertEquals(chunks, chunker.chunk(text), where + ": deterministic");
  }

  /** A chunk that does not end at a sentence end has none in its last quarter (by its own tokens, ±1 token). */
  private static void assertNoBoundaryInLastQuarter(String text, Chunk c, String where) {
    TokenizedText t = tokenizer.encode(c.text(text));
    int bare = t.length() - 2;
    int quarterToken = 1 + Math.min(bare - 1, bare * 3 / 4 + 1);
    int from = c.start() + t.starts()[quarterToken];
    for (int p = from; p < c.end(); p++) {
      assertFalse(Boundary.endsSentence(text, p), where + ": cut at " + c.end() + " although a sentence ends at " + p);
    }
  }

  @Test
  void realDocumentsUnderManySettings() {
    for (String doc : documents) {
      for (int max : new int[] {32, 128, 512, 8192}) {
        for (String prefix : new String[] {"", "検索文書: "}) {
          checkProperties(doc, new ChunkingOptions(max, 0, Boundary.SENTENCE, 0, 100_000), prefix);
        }
        checkProperties(doc, new ChunkingOptions(max, max / 4, Boundary.SENTENCE, 0, 100_000), "検索文書: ");
        checkProperties(doc, new ChunkingOptions(max, 0, Boundary.PARAGRAPH, 0, 100_000), "");
        checkProperties(doc, new ChunkingOptions(max, 3, Boundary.NONE, 0, 100_000), "");
      }
    }
  }

  @Test
  void adversarialTexts() {
    for (String text : adversarial()) {
      for (int max : new int[] {12, 64, 1000}) {
        for (Boundary b : Boundary.values()) {
          checkProperties(text, new ChunkingOptions(max, 0, b, 0, 100_000), "");
          checkProperties(text, new ChunkingOptions(max, max / 3, b, 0, 100_000), "検索文書: ");
        }
      }
    }
  }

  /**
   * Texts the tokenizer encodes with byte fallback (several byte tokens per character, sharing its offsets) fill
   * their windows as any script does: every window but the last is within a few tokens of max_tokens.
   */
  @Test
  void byteFallbackTextsFillTheirWindows() {
    String[] texts = {"🎌🚀".repeat(5000), "😀".repeat(3000) + "。" + "👍🏽".repeat(2000), "𠮷野家の𩸽".repeat(2000),
        "\u0000\u0001\u0007".repeat(3000), "🇯🇵日本語🇯🇵".repeat(1500)};
    for (String text : texts) {
      for (int max : new int[] {16, 128, 1000}) {
        for (Boundary b : Boundary.values()) {
          ChunkingOptions o = new ChunkingOptions(max, 0, b, 0, 100_000);
          List<Chunk> chunks = new DocumentChunker(tokenizer, o, "").chunk(text);
          int total = tokenizer.ids(text).length - 2;
          String where = "max_tokens " + max + " " + b + " on " + text.substring(0, 4) + "… (" + total + " tokens)";
          for (int i = 0; i < chunks.size() - 1; i++) {
            // a window may stop a code point (up to 4 byte tokens) short of the limit, or at a sentence end in
            // its last quarter
            int floor = Boundary.endsSentence(text, chunks.get(i).end()) ? (max - 2) * 3 / 4 - 4 : max - 5;
            assertTrue(chunks.get(i).tokens() >= floor, where + ": window " + i + " has only "
                + chunks.get(i).tokens() + " tokens");
          }
          assertTrue(chunks.size() <= total / (max - 5) + 2, where + ": " + chunks.size() + " windows");
          checkProperties(text, o, "");
        }
      }
    }
  }

  @Test
  void sentenceEndsArePreferred() {
    String text = "これは最初の文です。これは二番目の文です。これは三番目の文で、少し長くなっています。最後の文。";
    List<Chunk> chunks = new DocumentChunker(tokenizer, new ChunkingOptions(16, 0, Boundary.SENTENCE, 0, 100), "")
        .chunk(text);
    for (int i = 0; i < chunks.size() - 1; i++) {
      assertEquals('。', text.charAt(chunks.get(i).end() - 1), "chunk " + i + " ends after 。");
    }
  }

  @Test
  void paragraphsArePreferredOverSentences() {
    String para = "段落の一文目です。段落の二文目です。";
    String text = para + "\n\n" + para + "\n\n" + para;
    List<Chunk> chunks = new DocumentChunker(tokenizer, new ChunkingOptions(30, 0, Boundary.PARAGRAPH, 0, 100), "")
        .chunk(text);
    assertTrue(chunks.size() >= 2);
    for (int i = 0; i < chunks.size() - 1; i++) {
      assertTrue(Boundary.endsParagraph(text, chunks.get(i).end()), "chunk " + i + " ends after a blank line");
    }
  }

  @Test
  void limitsAndEmptyText() {
    assertTrue(new DocumentChunker(tokenizer, ChunkingOptions.of(512), "").chunk("").isEmpty());
    String longText = "これは文です。".repeat(2000);
    TooManyChunksException e = assertThrows(TooManyChunksException.class,
        () -> new DocumentChunker(tokenizer, new ChunkingOptions(16, 0, Boundary.SENTENCE, 0, 10), "").chunk(longText));
    assertTrue(e.getMessage().contains("max_chunks (10)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ChunkingOptions(8, 5, Boundary.SENTENCE, 0, 10));
    IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
        () -> new DocumentChunker(tokenizer, new ChunkingOptions(8, 0, Boundary.SENTENCE, 0, 10), "検索文書: "));
    assertTrue(small.getMessage().contains("prefix"), small.getMessage());
    assertEquals(8192, new ChunkingOptions(100_000, 0, Boundary.SENTENCE, 0, 10).cappedAt(8192).maxTokens());
  }
}
