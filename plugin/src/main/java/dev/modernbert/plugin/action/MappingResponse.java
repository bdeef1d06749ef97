package dev.modernbert.plugin.action;

import dev.modernbert.inference.documents.RecommendedMapping;
import dev.modernbert.plugin.analysis.JapaneseAnalysis;
import java.io.IOException;
import java.util.Map;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

/**
 * The index body (settings and mappings) for the {@code modernbert_embedding} processor, sent to
 * {@code PUT /<index>} as it is: the text field and each chunk's text analyzed as Japanese (kuromoji, for BM25
 * next to the vectors), nested chunks whose {@code embedding} is a lucene-engine
 * {@code knn_vector} of the model's dimension with cosine similarity, the document vector, and the model and its
 * document prefix as the mapping's {@code _meta}. The lucene engine is required: the faiss engine has no native
 * library in the Central k-NN zip.
 *
 * <p>k-NN's derived source is turned off: with it on (the 3.x default), k-NN 3.6.0.0 rebuilds the vectors of
 * nested chunks in {@code _source} from the wrong nested documents (measured: a document's chunks came back
 * with the vectors of other documents' chunks), so each chunk's own vector is stored as sent.
 */
public final class MappingResponse extends ActionResponse implements ToXContentObject {
  private final String model;
  private final String field;
  private final int dimension;
  private final String documentPrefix;

  public MappingResponse(String model, String field, int dimension, String documentPrefix) {
    this.model = model;
    this.field = field;
    this.dimension = dimension;
    this.documentPrefix = documentPrefix;
  }

  public MappingResponse(StreamInput in) throws IOException {
    super(in);
    model = in.readString();
    field = in.readString();
    dimension = in.readVInt();
    documentPrefix = in.readString();
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeString(model);
    out.writeString(field);
    out.writeVInt(dimension);
    out.writeString(documentPrefix);
  }

  @Override
  public XContentBuilder toXContent(XContentBuilder b, Params params) throws IOException {
    b.startObject();
    b.startObject("settings").field("index.knn", true).field("index.knn.derived_source.enabled", false).endObject();
    b.field("mappings", RecommendedMapping.mappings(model, documentPrefix, field, JapaneseAnalysis.ANALYZER, vector()));
    return b.endObject();
  }

  /** A lucene-engine HNSW {@code knn_vector} with cosine similarity. */
  private Map<String, Object> vector() {
    return RecommendedMapping.object("type", "knn_vector", "dimension", dimension, "method",
        RecommendedMapping.object("name", "hnsw", "engine", "lucene", "space_type", "cosinesimil", "parameters",
            RecommendedMapping.object("m", 16, "ef_construction", 128)));
  }
}
