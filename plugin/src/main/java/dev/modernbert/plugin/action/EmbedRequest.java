package dev.modernbert.plugin.action;

import dev.modernbert.inference.registry.TextEmbeddingRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

/** Texts to embed with {@code model}, each as {@code prefix + text}, L2-normalized unless {@code normalize} is off. */
public final class EmbedRequest extends CancellableRequest {
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

  private EmbedRequest(TextEmbeddingRequest r) {
    this(r.model(), r.texts(), r.prefix(), r.normalize());
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
    return new EmbedRequest(TextEmbeddingRequest.parse(body));
  }

  /** The engine's form of this request. */
  public TextEmbeddingRequest engineRequest() {
    return new TextEmbeddingRequest(model, texts, prefix, normalize);
  }

  /** The non-empty string {@code field} of a REST body. */
  public static String requireString(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException("[" + field + "] is required and must be a string");
    }
    return s;
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
