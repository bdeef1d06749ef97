package dev.modernbert.inference.chunking;

import java.util.Locale;

/** Where a window prefers to end. */
public enum Boundary {
  /** After 。！？!?． or a line break. */
  SENTENCE,
  /** After a blank line; falls back to sentence ends when a window has none. */
  PARAGRAPH,
  /** Wherever the token limit falls. */
  NONE;

  /** Parses {@code sentence}, {@code paragraph} or {@code none}. */
  public static Boundary parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("boundary must be sentence, paragraph or none, got \"" + s + "\"");
    }
  }

  /** Whether a cut at {@code pos} may split characters there: not inside a surrogate pair or a CRLF. */
  public static boolean isCharBoundary(String text, int pos) {
    if (pos <= 0 || pos >= text.length()) {
      return true;
    }
    char before = text.charAt(pos - 1);
    char after = text.charAt(pos);
    return !(Character.isHighSurrogate(before) && Character.isLowSurrogate(after)) && !(before == '\r' && after == '\n');
  }

  /** Whether {@code pos} ends a sentence: right after 。！？!?． or a line break (never inside a CRLF). */
  public static boolean endsSentence(String text, int pos) {
    if (pos <= 0 || pos > text.length() || !isCharBoundary(text, pos)) {
      return false;
    }
    return switch (text.charAt(pos - 1)) {
      case '。', '！', '？', '!', '?', '．', '\n', '\r' -> true;
      default -> false;
    };
  }

  /** Whether {@code pos} ends a paragraph: right after a line break that follows a blank (whitespace-only) line. */
  public static boolean endsParagraph(String text, int pos) {
    if (!endsSentence(text, pos) || (text.charAt(pos - 1) != '\n' && text.charAt(pos - 1) != '\r')) {
      return false;
    }
    int i = pos - 2;
    if (i >= 0 && text.charAt(pos - 1) == '\n' && text.charAt(i) == '\r') {
      i--;
    }
    while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\u3000')) {
      i--;
    }
    return i >= 0 && (text.charAt(i) == '\n' || text.charAt(i) == '\r');
  }

  /** Whether this boundary kind accepts a cut at {@code pos}. */
  boolean accepts(String text, int pos) {
    return switch (this) {
      case SENTENCE -> endsSentence(text, pos);
      case PARAGRAPH -> endsParagraph(text, pos);
      case NONE -> false;
    };
  }
}
