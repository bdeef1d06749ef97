package dev.modernbert.plugin.action;

import dev.modernbert.inference.registry.InferenceQueue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

/** Texts to embed with {@code model}, each as {@code prefix + text}, L2-normalized unless {@code normalize} is off. */
public final class EmbedRequest extends CancellableRequest {
  private static final Set<String> FIELDS = Set.of("model", "texts", "prefix", "normalize");

  private final String model;
  private final List<String> texts;
  private final String prefix;
  private final boolean normalize;

  public EmbedRequest(String model, List<String> texts, String prefix, boolean normalize) {
    this.model = model;
    this.texts = List.copyOf(texts);
    this.prefix = prefix;
    this.normalize = normalize;
  }

  public EmbedRequest(StreamInput in) throws IOException {
    super(in);
    model = in.readString();
    texts = in.readStringList();
    prefix = in.readString();
    normalize = in.readBoolean();
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    out.writeString(model);
    out.writeStringCollection(texts);
    out.writeString(prefix);
    out.writeBoolean(normalize);
  }

  /** The request in a REST body; refuses unknown fields and values of the wrong type, naming the field. */
  public static EmbedRequest parse(Map<String, Object> body) {
    for (String field : body.keySet()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("[" + field + "] is not a field of an embed request (expected one of "
            + FIELDS.stream().sorted().toList() + ")");
      }
    }
    String model = requireString(body, "model");
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
    Object prefix = body.getOrDefault("prefix", "");
    if (!(prefix instanceof String)) {
      throw new IllegalArgumentException("[prefix] must be a string, found " + prefix);
    }
    Object normalize = body.getOrDefault("normalize", true);
    if (!(normalize instanceof Boolean)) {
      throw new IllegalArgumentException("[normalize] must be true or false, found " + normalize);
    }
    return new EmbedRequest(model, texts, (String) prefix, (Boolean) normalize);
  }

  /** The non-empty string {@code field} of a REST body. */
  public static String requireString(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException("[" + field + "] is required and must be a string");
    }
    return s;
  }

  /** The request's weight in the queue: each text with its prefix. */
  long tokens() {
    return texts.stream().mapToLong(t -> InferenceQueue.estimatedTokens(prefix.length() + t.length())).sum();
  }

  public String model() {
    return model;
  }

  public List<String> texts() {
    return texts;
  }

  public String prefix() {
    return prefix;
  }

  public boolean normalize() {
    return normalize;
  }

  @Override
  public String getDescription() {
    return "embed " + texts.size() + " text(s) with [" + model + "]";
  }
}
