package dev.modernbert.inference.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.modernbert.inference.model.InvalidModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model's own tokenizer: Hugging Face {@code tokenizers} (through DJL) loaded from the folder's
 * {@code tokenizer.json}, or from an equivalent built from {@code tokenizer.model}. Thread-safe.
 */
public final class ModelTokenizer implements AutoCloseable {
  public static final String JSON_FILE = "tokenizer.json";
  private static final long MAX_JSON_BYTES = 256L << 20;

  static {
    // DJL otherwise probes the network for engine metadata and may try to download native builds.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  private final HuggingFaceTokenizer tokenizer;

  private ModelTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Whether {@code folder} holds tokenizer files this class can load. */
  public static boolean isPresent(Path folder) {
    return Files.isRegularFile(folder.resolve(JSON_FILE))
        || Files.isRegularFile(folder.resolve(SentencePieceTokenizerJson.MODEL_FILE));
  }

  /** Loads {@code tokenizer.json}, or falls back to converting {@code tokenizer.model}. */
  public static ModelTokenizer load(Path folder) {
    Path json = folder.resolve(JSON_FILE);
    try {
      if (Files.isRegularFile(json)) {
        long size = Files.size(json);
        if (size > MAX_JSON_BYTES) {
          throw new InvalidModelException(JSON_FILE + ": " + size + " bytes exceeds the limit of " + MAX_JSON_BYTES);
        }
        try (InputStream in = Files.newInputStream(json)) {
          return fromJson(in);
        }
      }
      if (Files.isRegularFile(folder.resolve(SentencePieceTokenizerJson.MODEL_FILE))) {
        String built = SentencePieceTokenizerJson.build(folder);
        return fromJson(new ByteArrayInputStream(built.getBytes(StandardCharsets.UTF_8)));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidModelException ime) {
        throw ime;
      }
      throw new InvalidModelException(folder.getFileName() + ": tokenizer cannot be loaded: " + e.getMessage(), e);
    }
    throw new InvalidModelException(folder.getFileName() + ": no " + JSON_FILE + " or "
        + SentencePieceTokenizerJson.MODEL_FILE);
  }

  private static ModelTokenizer fromJson(InputStream in) throws IOException {
    Map<String, String> options = Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false",
        "modelMaxLength", Integer.toString(Integer.MAX_VALUE), "maxLength", Integer.toString(Integer.MAX_VALUE));
    return new ModelTokenizer(HuggingFaceTokenizer.newInstance(in, options));
  }

  /**
   * Token ids and character ranges of {@code text}, with {@code <s>} and {@code </s>}, untruncated. The
   * library reports code-point offsets; they are converted to {@code String} (UTF-16) indexes here.
   */
  public TokenizedText encode(String text) {
    Encoding e = tokenizer.encode(text, true, false);
    long[] ids = e.getIds();
    CharSpan[] spans = e.getCharTokenSpans();
    int[] utf16 = codePointToUtf16(text);
    int[] out = new int[ids.length];
    int[] starts = new int[ids.length];
    int[] ends = new int[ids.length];
    int previousEnd = 0;
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
      CharSpan s = spans[i];
      if (s == null) {
        // special tokens: an empty range where they stand (start of text for <s>, end for </s>)
        int at = i == 0 ? 0 : (i == ids.length - 1 ? text.length() : previousEnd);
        starts[i] = at;
        ends[i] = at;
      } else {
        starts[i] = utf16 == null ? s.getStart() : utf16[s.getStart()];
        ends[i] = utf16 == null ? s.getEnd() : utf16[s.getEnd()];
      }
      previousEnd = ends[i];
    }
    return new TokenizedText(out, starts, ends);
  }

  /** Map from code-point index to UTF-16 index, or {@code null} when the two coincide. */
  private static int[] codePointToUtf16(String text) {
    int cps = text.codePointCount(0, text.length());
    if (cps == text.length()) {
      return null;
    }
    int[] map = new int[cps + 1];
    int u = 0;
    for (int cp = 0; cp < cps; cp++) {
      map[cp] = u;
      u += Character.charCount(text.codePointAt(u));
    }
    map[cps] = u;
    return map;
  }

  /** Token ids of {@code text} with {@code <s>} and {@code </s>}. */
  public int[] ids(String text) {
    long[] ids = tokenizer.encode(text, true, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
