package dev.modernbert.elasticsearch.query;

import dev.modernbert.fusion.RankFusion;
import dev.modernbert.fusion.ReciprocalRankFusionQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.search.Query;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.mapper.vectors.DenseVectorFieldMapper.DenseVectorFieldType;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.MatchQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.Rewriteable;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.internal.MaxClauseCountQueryVisitor;
import org.elasticsearch.search.vectors.VectorData;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

/**
 * {@code modernbert_rank_fusion}: what {@code modernbert_hybrid} becomes on a shard, inside the {@code nested}
 * query of the passages, with the vector given: the passages ranked by their vector (Elasticsearch's k-NN search of
 * the {@code dense_vector} field) and by their text (BM25 {@code match}), fused by reciprocal rank. Registered like
 * any query, so that it crosses the wire; a client may also send it with a vector of its own.
 */
public final class RankFusionQueryBuilder extends AbstractQueryBuilder<RankFusionQueryBuilder> {
  public static final String NAME = "modernbert_rank_fusion";

  private final String vectorField;
  private final float[] vector;
  private final String textField;
  private final String text;
  private final RankFusion fusion;

  public RankFusionQueryBuilder(String vectorField, float[] vector, String textField, String text,
      RankFusion fusion) {
    if (vectorField == null || vector == null || vector.length == 0 || textField == null || text == null) {
      throw new IllegalArgumentException("[" + NAME + "] requires [field], a non-empty [vector], [text_field] and "
          + "[query_text]");
    }
    this.vectorField = vectorField;
    this.vector = vector.clone();
    this.textField = textField;
    this.text = text;
    this.fusion = Objects.requireNonNull(fusion);
  }

  public RankFusionQueryBuilder(StreamInput in) throws IOException {
    super(in);
    vectorField = in.readString();
    vector = in.readFloatArray();
    textField = in.readString();
    text = in.readString();
    fusion = readFusion(in);
  }

  @Override
  protected void doWriteTo(StreamOutput out) throws IOException {
    out.writeString(vectorField);
    out.writeFloatArray(vector);
    out.writeString(textField);
    out.writeString(text);
    writeFusion(out, fusion);
  }

  static RankFusion readFusion(StreamInput in) throws IOException {
    return new RankFusion(in.readVInt(), in.readVInt(), in.readVInt(), in.readFloat(), in.readFloat());
  }

  static void writeFusion(StreamOutput out, RankFusion f) throws IOException {
    out.writeVInt(f.vectorDepth());
    out.writeVInt(f.keywordDepth());
    out.writeVInt(f.rankConstant());
    out.writeFloat(f.vectorWeight());
    out.writeFloat(f.keywordWeight());
  }

  /**
   * The vector side is Elasticsearch's own k-NN query of the field (its normalization, quantized formats and
   * rescoring apply) over the passages themselves: unlike the {@code knn} query inside {@code nested}, it does not
   * keep only each document's best passage, so that every passage within the depth has a vector rank, as on the
   * OpenSearch edition, and with as many candidates as the depth, as there (Elasticsearch's {@code knn} default of
   * 1.5 × made the hybrid 2.1× the latency of {@code modernbert_knn} at 100k passages, against 1.5× with the depth).
   * The keyword side is a {@code match} query, rewritten as a search would.
   */
  @Override
  protected Query doToQuery(SearchExecutionContext context, MaxClauseCountQueryVisitor visitor) throws IOException {
    DenseVectorFieldType dense = ModernBertKnnQueryBuilder.requireDenseVector(NAME, vectorField,
        context.getFieldType(vectorField), vector.length);
    int depth = fusion.vectorDepth();
    IndexSettings settings = context.getIndexSettings();
    Query byVector = dense.createKnnQuery(VectorData.fromFloats(vector), depth, depth, null, null, null, null, null,
        settings.getHnswFilterHeuristic(), settings.getHnswEarlyTermination());
    QueryBuilder byText = Rewriteable.rewrite(new MatchQueryBuilder(textField, text), context, true);
    Query fused = new ReciprocalRankFusionQuery(byVector, byText.toQuery(context), fusion);
    fused.visit(visitor); // the clause limit counts what runs, both sides included
    return fused;
  }

  @Override
  protected void doXContent(XContentBuilder b, Params params) throws IOException {
    b.startObject(NAME).field("field", vectorField).array("vector", vector).field("text_field", textField)
        .field("query_text", text);
    fusionXContent(b, fusion);
    printBoostAndQueryName(b);
    b.endObject();
  }

  static void fusionXContent(XContentBuilder b, RankFusion f) throws IOException {
    for (Map.Entry<String, Number> parameter : f.parameters().entrySet()) {
      b.field(parameter.getKey(), parameter.getValue());
    }
  }

  /** A fusion parameter's value, which must be a number (the fusion checks its range). */
  static Number fusionParameter(XContentParser p, String query, String name) throws IOException {
    if (p.currentToken() != XContentParser.Token.VALUE_NUMBER) {
      throw new ParsingException(p.getTokenLocation(), "[" + query + "] [" + name + "] must be a number, got ["
          + p.text() + "]");
    }
    return p.numberValue();
  }

  /** Parses the query's JSON body (the object inside {@code "modernbert_rank_fusion"}). */
  public static RankFusionQueryBuilder fromXContent(XContentParser p) throws IOException {
    String field = null;
    float[] vector = null;
    String textField = null;
    String text = null;
    Map<String, Number> fusion = new HashMap<>();
    float boost = DEFAULT_BOOST;
    String name = null;
    String current = null;
    for (XContentParser.Token t = p.nextToken(); t != XContentParser.Token.END_OBJECT; t = p.nextToken()) {
      if (t == XContentParser.Token.FIELD_NAME) {
        current = p.currentName();
      } else if (t == XContentParser.Token.START_ARRAY && "vector".equals(current)) {
        vector = floats(p);
      } else if (t.isValue() && RankFusion.PARAMETERS.contains(current)) {
        fusion.put(current, fusionParameter(p, NAME, current));
      } else if (t.isValue()) {
        switch (current) {
          case "field" -> field = p.text();
          case "text_field" -> textField = p.text();
          case "query_text" -> text = p.text();
          case "boost" -> boost = p.floatValue();
          case "_name" -> name = p.text();
          default -> throw TextEmbeddingQueryBuilder.unsupported(p, NAME, current, t);
        }
      } else {
        throw TextEmbeddingQueryBuilder.unsupported(p, NAME, current, t);
      }
    }
    try {
      return new RankFusionQueryBuilder(field, vector, textField, text, RankFusion.of(fusion)).boost(boost)
          .queryName(name);
    } catch (IllegalArgumentException e) {
      throw new ParsingException(p.getTokenLocation(), "[" + NAME + "] " + e.getMessage(), e);
    }
  }

  private static float[] floats(XContentParser p) throws IOException {
    List<Float> values = new ArrayList<>();
    while (p.nextToken() != XContentParser.Token.END_ARRAY) {
      values.add(p.floatValue());
    }
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  @Override
  public String getWriteableName() {
    return NAME;
  }

  @Override
  public TransportVersion getMinimalSupportedVersion() {
    return TransportVersion.zero();
  }

  @Override
  protected boolean doEquals(RankFusionQueryBuilder o) {
    return vectorField.equals(o.vectorField) && Arrays.equals(vector, o.vector) && textField.equals(o.textField)
        && text.equals(o.text) && fusion.equals(o.fusion);
  }

  @Override
  protected int doHashCode() {
    return Objects.hash(vectorField, Arrays.hashCode(vector), textField, text, fusion);
  }
}
