package dev.modernbert.plugin.action;

import dev.modernbert.inference.engine.TextEmbedder;
import java.io.IOException;
import java.util.List;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

/**
 * The vectors of an {@link EmbedRequest}, in request order, each with the tokens it was computed from and whether
 * its text was truncated at the model's limit.
 */
public final class EmbedResponse extends ActionResponse implements ToXContentObject {
  private final String model;
  private final int dimension;
  private final String device;
  private final List<TextEmbedder.Embedding> embeddings;

  public EmbedResponse(String model, int dimension, String device, List<TextEmbedder.Embedding> embeddings) {
    this.model = model;
    this.dimension = dimension;
    this.device = device;
    this.embeddings = List.copyOf(embeddings);
  }

  public EmbedResponse(StreamInput in) throws IOException {
    super(in);
    model = in.readString();
    dimension = in.readVInt();
    device = in.readString();
    embeddings = in.readList(i -> new TextEmbedder.Embedding(i.readVInt(), i.readBoolean(), i.readFloatArray()));
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeString(model);
    out.writeVInt(dimension);
    out.writeString(device);
    out.writeCollection(embeddings, (o, e) -> {
      o.writeVInt(e.tokens());
      o.writeBoolean(e.truncated());
      o.writeFloatArray(e.vector());
    });
  }

  public List<TextEmbedder.Embedding> embeddings() {
    return embeddings;
  }

  @Override
  public XContentBuilder toXContent(XContentBuilder b, Params params) throws IOException {
    b.startObject().field("model", model).field("dimension", dimension).field("device", device);
    b.startArray("embeddings");
    for (TextEmbedder.Embedding e : embeddings) {
      b.startObject().field("tokens", e.tokens()).field("truncated", e.truncated()).array("embedding", e.vector())
          .endObject();
    }
    return b.endArray().endObject();
  }
}
