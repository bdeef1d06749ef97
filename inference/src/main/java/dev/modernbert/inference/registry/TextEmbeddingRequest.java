package dev.modernbert.inference.registry;

import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Texts to embed with {@code model}, each as {@code prefix + text}, L2-normalized unless {@code normalize} is off:
 * the body of an edition's {@code _embed} endpoint, for RAG clients and debugging.
 */
public record TextEmbeddingRequest(String model, List<String> texts, String prefix, boolean normalize) {
  private static final Set<String> FIELDS = Set.of("model", "texts", "prefix", "normalize");

  /** The vectors, in request order, with the model's dimension and device. */
  public record Result(String model, int dimension, String device, List<TextEmbedder.Embedding> embeddings) {}

  public TextEmbeddingRequest {
    texts = List.copyOf(texts);
  }

  /** The request in a REST body; refuses unknown fields and values of the wrong type, naming the field. */
  public static TextEmbeddingRequest parse(Map<String, Object> body) {
    for (String field : body.keySet()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("[" + field + "] is not a field of an embed request (expected one of "
            + FIELDS.stream().sorted().toList() + ")");
      }
    }
    if (!(body.get("model") instanceof String model) || model.isEmpty()) {
      throw new IllegalArgumentException("[model] is required and must be a string");
    }
    if (!(body.get("texts") instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException("[texts] must be a non-empty array of strings");
    }
    List<String> texts = new ArrayList<>();
    for (Object t : list) {
      if (!(t instanceof String text)) {
        throw new IllegalArgumentException("[texts] must contain only strings, found " + t);
      }
      texts.add(text);
    }
    if (!(body.getOrDefault("prefix", "") instanceof String prefix)) {
      throw new IllegalArgumentException("[prefix] must be a string, found " + body.get("prefix"));
    }
    if (!(body.getOrDefault("normalize", true) instanceof Boolean normalize)) {
      throw new IllegalArgumentException("[normalize] must be true or false, found " + body.get("normalize"));
    }
    return new TextEmbeddingRequest(model, texts, prefix, normalize);
  }

  /** The request's weight in the inference queue: each text with its prefix. */
  public long tokens() {
    return texts.stream().mapToLong(t -> InferenceQueue.estimatedTokens(prefix.length() + t.length())).sum();
  }

  /** Where the request waits: a question's worth in the query lane, larger ones with bulk work. */
  public InferenceQueue.Lane lane() {
    return InferenceQueue.laneFor(tokens());
  }

  /** Embeds the texts (on the caller's thread); texts over the model's limit are truncated, keeping {@code </s>}. */
  public Result embed(ModelRegistry registry) {
    LoadedModel m = registry.get(model);
    List<TextEmbedder.Embedding> vectors = m.embedder(m.folder().maxTokens()).embed(texts, prefix, normalize);
    return new Result(model, m.folder().hiddenSize(), m.encoder().device(), vectors);
  }
}
