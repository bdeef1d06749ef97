package dev.modernbert.inference.chunking;

import dev.modernbert.inference.tokenizer.ModelTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a text into windows of at most {@code max_tokens} model tokens, counting {@code <s>}, {@code </s>} and
 * the prefix, with exact character offsets: without overlap the windows tile the text, with overlap their
 * union is the text; nothing is dropped.
 *
 * <p>Windows are planned on the document's token offsets, end at the last boundary (sentence or paragraph
 * end) in their last quarter when there is one, and are then re-tokenized with the prefix and shrunk until
 * they fit, since text tokenizes differently at a cut than in context.
 */
public final class DocumentChunker {
  /** The most tokens one unsplittable unit (a code point's UTF-8 bytes, or a CRLF) can take. */
  private static final int MAX_UNIT_TOKENS = 4;

  private final ModelTokenizer tokenizer;
  private final ChunkingOptions options;
  private final String prefix;
  private final int budget;

  /** A chunker for texts that will be embedded as {@code prefix + chunk}. */
  public DocumentChunker(ModelTokenizer tokenizer, ChunkingOptions options, String prefix) {
    this.tokenizer = tokenizer;
    this.options = options;
    this.prefix = prefix;
    int prefixTokens = tokenizer.ids(prefix).length - 2;
    this.budget = options.maxTokens() - 2 - prefixTokens;
    if (budget < MAX_UNIT_TOKENS + 2) {
      throw new IllegalArgumentException("max_tokens " + options.maxTokens() + " leaves " + budget
          + " tokens after <s>, </s> and the prefix (" + prefixTokens + " tokens); at least " + (MAX_UNIT_TOKENS + 2)
          + " are needed");
    }
  }

  /** A window with the token ids of {@code prefix + window text}, framed by {@code <s>} and {@code </s>}. */
  public record EncodedChunk(Chunk chunk, int[] ids) {}

  /** The windows of {@code text}, in order; an empty text has none. */
  public List<Chunk> chunk(String text) {
    return encodedChunks(text).stream().map(EncodedChunk::chunk).toList();
  }

  /** The windows of {@code text} with the ids the fitting step computed, so no caller tokenizes them again. */
  public List<EncodedChunk> encodedChunks(String text) {
    List<EncodedChunk> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    DocumentTokens tokens = DocumentTokens.of(tokenizer, text);
    int start = 0;
    while (true) {
      int firstToken = tokenEndingAfter(tokens, start);
      int lastToken = Math.min(tokens.size(), firstToken + budget);
      int end = lastToken >= tokens.size() ? text.length() : plannedEnd(text, tokens, start, firstToken, lastToken);
      EncodedChunk encoded = fit(text, tokens, start, end);
      Chunk c = encoded.chunk();
      out.add(encoded);
      if (out.size() > options.maxChunks()) {
        throw new TooManyChunksException("text of " + text.length() + " characters needs more than max_chunks ("
            + options.maxChunks() + ") chunks of " + options.maxTokens() + " tokens");
      }
      if (c.end() == text.length()) {
        return out;
      }
      start = nextStart(text, tokens, c);
    }
  }

  /** Index of the first token that ends after {@code pos} (tokens' ends are non-decreasing). */
  private static int tokenEndingAfter(DocumentTokens tokens, int pos) {
    int lo = 0;
    int hi = tokens.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (tokens.end(mid) > pos) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Where a window over tokens [first, last) ends: the last boundary in its last quarter, else the token limit. */
  private int plannedEnd(String text, DocumentTokens tokens, int start, int first, int last) {
    int limit = charBoundaryAtOrBefore(text, tokens.end(last - 1), start);
    int quarter = Math.max(start + 1, tokens.start(first + (last - first) * 3 / 4));
    int cut = lastBoundary(text, quarter, limit);
    return cut > 0 ? cut : limit;
  }

  /** The last position in [from, to] the boundary accepts (paragraphs fall back to sentences), or -1. */
  private int lastBoundary(String text, int from, int to) {
    for (Boundary b : options.boundary() == Boundary.PARAGRAPH
        ? new Boundary[] {Boundary.PARAGRAPH, Boundary.SENTENCE} : new Boundary[] {options.boundary()}) {
      for (int p = to; p >= from; p--) {
        if (b.accepts(text, p)) {
          return p;
        }
      }
    }
    return -1;
  }

  /** {@code pos} moved back to a legal cut, but never to or before {@code start}. */
  private static int charBoundaryAtOrBefore(String text, int pos, int start) {
    int p = pos;
    while (p > start && !Boundary.isCharBoundary(text, p)) {
      p--;
    }
    if (p > start) {
      return p;
    }
    p = start + 1;
    while (p < text.length() && !Boundary.isCharBoundary(text, p)) {
      p++;
    }
    return p;
  }

  /** The window [start, end) re-tokenized with its prefix, shrunk until it fits within max_tokens. */
  private EncodedChunk fit(String text, DocumentTokens tokens, int start, int end) {
    int e = end;
    while (true) {
      int[] ids = tokenizer.ids(prefix + text.substring(start, e));
      if (ids.length <= options.maxTokens()) {
        return new EncodedChunk(new Chunk(start, e, ids.length), ids);
      }
      e = shrink(text, tokens, start, e, ids.length - options.maxTokens());
    }
  }

  /** A smaller end: the last boundary in the window's last quarter at least {@code excess} tokens back, else that point. */
  private int shrink(String text, DocumentTokens tokens, int start, int end, int excess) {
    int firstToken = tokenEndingAfter(tokens, start);
    // tokens [firstToken, endToken) lie in the window; the byte tokens of one character all end where it ends
    int endToken = Math.max(tokenEndingAfter(tokens, end), firstToken + 1);
    int back = Math.max(firstToken, endToken - excess);
    int kept = back > firstToken ? tokens.end(back - 1) : tokens.start(back);
    int byTokens = charBoundaryAtOrBefore(text, Math.min(end - 1, Math.max(start + 1, kept)), start);
    // the last quarter of the shrunk window, which is the window the chunk will be
    int quarter = Math.max(start + 1, tokens.start(firstToken + (back - firstToken) * 3 / 4));
    int cut = options.boundary() == Boundary.NONE ? -1 : lastBoundary(text, quarter, byTokens);
    int next = cut > 0 ? cut : byTokens;
    if (next >= end) {
      throw new IllegalStateException("cannot shrink the window at " + start + " below " + end + " characters");
    }
    return next;
  }

  /** Start of the window after {@code c}: its end, or {@code overlap_tokens} tokens before it. */
  private int nextStart(String text, DocumentTokens tokens, Chunk c) {
    if (options.overlapTokens() == 0) {
      return c.end();
    }
    int endToken = tokenEndingAfter(tokens, c.end() - 1);
    int firstToken = tokenEndingAfter(tokens, c.start());
    int back = Math.max(firstToken + 1, endToken - options.overlapTokens());
    if (back >= tokens.size()) {
      return c.end();
    }
    int p = Math.max(c.start() + 1, Math.min(tokens.start(back), c.end()));
    while (p < c.end() && !Boundary.isCharBoundary(text, p)) {
      p++;
    }
    return p;
  }
}
