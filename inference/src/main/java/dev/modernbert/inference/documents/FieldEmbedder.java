package dev.modernbert.inference.documents;

import dev.modernbert.inference.engine.DocumentEmbedder;
import dev.modernbert.inference.engine.DocumentEmbedder.EmbeddedChunk;
import dev.modernbert.inference.engine.DocumentEmbedder.Outcome;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One processor's work on documents, in the engine's terms: the texts of a document's field (a string or an
 * array of strings), embedded together with those of other documents, and written back as chunk objects
 * ({@code text}, {@code element} for arrays, {@code start}, {@code end}, {@code tokens}, {@code embedding}) and
 * an optional document vector. A document whose field cannot be read or embedded fails alone, with its reason.
 */
public final class FieldEmbedder {
  /** The texts of one document's field; {@code array} when the field held an array (chunks name their element). */
  public record FieldTexts(List<String> texts, boolean array) {}

  /** A document's chunk objects and document vector (or {@code null}), or why it failed. */
  public record DocumentResult(List<Map<String, Object>> chunks, List<Float> documentVector, RuntimeException error) {}

  private final EmbeddingProcessorConfig config;

  public FieldEmbedder(EmbeddingProcessorConfig config) {
    this.config = config;
  }

  /**
   * The texts to embed from a document's field value, or {@code null} when the field is missing and
   * {@code ignore_missing} is set (the document passes through unchanged).
   *
   * @param present whether the document has the field at all (a field set to {@code null} is present)
   * @throws IllegalArgumentException when the value is missing, null or not text, naming the field
   */
  public FieldTexts texts(Object value, boolean present) {
    if (value == null) {
      if (config.ignoreMissing() && !present) {
        return null;
      }
      throw new IllegalArgumentException("field [" + config.field() + "] is missing or null");
    }
    if (value instanceof String text) {
      return new FieldTexts(List.of(text), false);
    }
    if (value instanceof List<?> list) {
      List<String> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof String text)) {
          throw new IllegalArgumentException("field [" + config.field() + "] element " + i + " is "
              + typeName(list.get(i)) + ", not a string");
        }
        out.add(text);
      }
      return new FieldTexts(out, true);
    }
    throw new IllegalArgumentException("field [" + config.field() + "] is " + typeName(value)
        + "; expected a string or an array of strings");
  }

  private static String typeName(Object v) {
    return v == null ? "null" : "of type " + v.getClass().getSimpleName();
  }

  /** What the texts weigh in the inference queue before they are tokenized. */
  public long estimatedTokens(FieldTexts texts) {
    long tokens = 0;
    for (String t : texts.texts()) {
      tokens += InferenceQueue.estimatedTokens(config.prefix().length() + t.length());
    }
    return tokens;
  }

  /**
   * Embeds the documents' texts together (a {@code null} entry is a document to leave alone) and returns each
   * document's result in order ({@code null} for those left alone, or whose texts were an empty array). Documents
   * that succeed are counted in the stats; failures are the caller's to count, with its own.
   */
  public List<DocumentResult> embed(InferenceServices services, List<FieldTexts> documents) {
    List<String> texts = new ArrayList<>();
    for (FieldTexts d : documents) {
      if (d != null) {
        texts.addAll(d.texts());
      }
    }
    DocumentEmbedder embedder = new DocumentEmbedder(services.registry().get(config.model()), config.chunking(),
        config.prefix(), services.stats());
    List<Outcome> outcomes = embedder.embed(texts);
    List<DocumentResult> results = new ArrayList<>(documents.size());
    int next = 0;
    for (FieldTexts d : documents) {
      int n = d == null ? 0 : d.texts().size();
      results.add(n == 0 ? null : result(d, outcomes.subList(next, next + n)));
      next += n;
    }
    results.stream().filter(r -> r != null && r.error() == null).forEach(r -> services.stats().documents.increment());
    return results;
  }

  private DocumentResult result(FieldTexts d, List<Outcome> outcomes) {
    List<Map<String, Object>> chunks = new ArrayList<>();
    List<EmbeddedChunk> all = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      if (o.error() != null) {
        return new DocumentResult(null, null, new IllegalArgumentException("field [" + config.field() + "]"
            + (d.array() ? " element " + i : "") + ": " + o.error().getMessage(), o.error()));
      }
      for (EmbeddedChunk c : o.chunks()) {
        chunks.add(chunkObject(d.texts().get(i), d.array() ? i : -1, c));
      }
      all.addAll(o.chunks());
    }
    float[] documentVector = config.docVectorField() == null ? null : DocumentEmbedder.documentVector(all);
    return new DocumentResult(chunks, documentVector == null ? null : toList(documentVector), null);
  }

  private Map<String, Object> chunkObject(String text, int element, EmbeddedChunk c) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (config.storeText()) {
      m.put("text", text.substring(c.start(), c.end()));
    }
    if (element >= 0) {
      m.put("element", element);
    }
    m.put("start", c.start());
    m.put("end", c.end());
    m.put("tokens", c.tokens());
    m.put("embedding", toList(c.vector()));
    return m;
  }

  /** Writes a successful result's chunks and document vector into the document through {@code setField}. */
  public void write(DocumentResult result, BiConsumer<String, Object> setField) {
    setField.accept(config.targetField(), result.chunks());
    if (result.documentVector() != null) {
      setField.accept(config.docVectorField(), result.documentVector());
    }
  }

  private static List<Float> toList(float[] v) {
    List<Float> out = new ArrayList<>(v.length);
    for (float x : v) {
      out.add(x);
    }
    return out;
  }
}
