package dev.modernbert.knn.query;

import dev.modernbert.fusion.KeywordField;
import dev.modernbert.fusion.RankFusion;
import dev.modernbert.knn.mapping.VectorFieldMappings;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.search.Query;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryShardContext;

/**
 * {@code modernbert_hybrid}: the passages ranked by meaning and by keyword, fused. The text is embedded as for
 * {@code modernbert_knn}; on each shard the passages' vectors ({@code field}, k-NN) and their text
 * ({@code text_field}, BM25 with the field's analyzer, e.g. {@code modernbert_ja}) each rank the shard's passages
 * to their depth, and reciprocal rank fusion ({@link RankFusion}) merges the two rankings. When the field lies
 * inside a {@code nested} path, documents are scored by their best passage and {@code inner_hits} returns the
 * best passages, as {@code modernbert_knn} does. The fusion runs per shard: with one shard it is the fusion of
 * the index's rankings.
 */
public final class ModernBertHybridQueryBuilder extends TextEmbeddingQueryBuilder<ModernBertHybridQueryBuilder> {
  public static final String NAME = "modernbert_hybrid";


  private String textField;
  private RankFusion fusion = RankFusion.DEFAULTS;

  public ModernBertHybridQueryBuilder(String field, String queryText, QueryVectorSource vectors) {
    super(NAME, field, queryText, vectors);
  }

  public ModernBertHybridQueryBuilder(StreamInput in, QueryVectorSource vectors) throws IOException {
    super(in, vectors);
    textField = in.readOptionalString();
    fusion = readFusion(in);
  }

  @Override
  protected void writeOwnFields(StreamOutput out) throws IOException {
    out.writeOptionalString(textField);
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

  /** A fusion parameter's value, which must be a number (the fusion checks its range). */
  static Number fusionParameter(XContentParser p, String query, String name) throws IOException {
    if (p.currentToken() != XContentParser.Token.VALUE_NUMBER) {
      throw new ParsingException(p.getTokenLocation(), "[" + query + "] [" + name + "] must be a number, got ["
          + p.text() + "]");
    }
    return p.numberValue();
  }

  static void fusionXContent(XContentBuilder b, RankFusion f) throws IOException {
    for (Map.Entry<String, Number> parameter : f.parameters().entrySet()) {
      b.field(parameter.getKey(), parameter.getValue());
    }
  }

  /** The text field ranked by BM25; by default the {@code text} of the passages that hold {@code field}. */
  public ModernBertHybridQueryBuilder textField(String textField) {
    this.textField = textField;
    return this;
  }

  public ModernBertHybridQueryBuilder fusion(RankFusion fusion) {
    this.fusion = Objects.requireNonNull(fusion);
    return this;
  }

  @Override
  public String getWriteableName() {
    return NAME;
  }

  @Override
  protected ModernBertHybridQueryBuilder withVector(float[] v) {
    return copyShared(new ModernBertHybridQueryBuilder(field, queryText, vectors()).textField(textField)
        .fusion(fusion), v);
  }

  @Override
  protected QueryBuilder shardQuery(QueryShardContext shard) {
    VectorFieldMappings.requireLuceneVector(field, shard.fieldMapper(field), vector.length);
    String text = KeywordField.resolve(NAME, field, textField, new KeywordField.Mapping() {
      @Override
      public String index() {
        return shard.index().getName();
      }

      @Override
      public String typeName(String name) {
        MappedFieldType type = shard.fieldMapper(name);
        return type == null ? null : type.typeName();
      }

      @Override
      public String nestedPath(String name) {
        return ModernBertHybridQueryBuilder.this.nestedPath(name, shard);
      }
    });
    return overPassages(new RankFusionQueryBuilder(field, vector, text, queryText, fusion), nestedPath(field, shard));
  }

  @Override
  protected void doXContent(XContentBuilder b, Params params) throws IOException {
    b.startObject(NAME);
    sharedXContent(b);
    if (textField != null) {
      b.field("text_field", textField);
    }
    fusionXContent(b, fusion);
    closingXContent(b, params);
    b.endObject();
  }

  /** Parses the query's JSON body (the object inside {@code "modernbert_hybrid"}). */
  public static ModernBertHybridQueryBuilder fromXContent(XContentParser p, QueryVectorSource vectors)
      throws IOException {
    SharedFields shared = new SharedFields();
    String textField = null;
    Map<String, Number> fusion = new HashMap<>();
    String current = null;
    for (XContentParser.Token t = p.nextToken(); t != XContentParser.Token.END_OBJECT; t = p.nextToken()) {
      if (t == XContentParser.Token.FIELD_NAME) {
        current = p.currentName();
      } else if (shared.read(current, p, t)) {
        continue;
      } else if (t.isValue() && RankFusion.PARAMETERS.contains(current)) {
        fusion.put(current, fusionParameter(p, NAME, current));
      } else if ((t.isValue() || t == XContentParser.Token.VALUE_NULL) && "text_field".equals(current)) {
        textField = p.textOrNull();
      } else {
        throw unsupported(p, NAME, current, t);
      }
    }
    try {
      return shared.applyTo(new ModernBertHybridQueryBuilder(shared.field(), shared.queryText(), vectors))
          .textField(textField).fusion(RankFusion.of(fusion));
    } catch (IllegalArgumentException e) {
      throw new ParsingException(p.getTokenLocation(), "[" + NAME + "] " + e.getMessage(), e);
    }
  }

  @Override
  protected Query doToQuery(QueryShardContext context) {
    throw new IllegalStateException("[" + NAME + "] must be rewritten before it is run");
  }

  @Override
  protected boolean doEquals(ModernBertHybridQueryBuilder o) {
    return sharedEquals(o) && Objects.equals(textField, o.textField) && fusion.equals(o.fusion);
  }

  @Override
  protected int doHashCode() {
    return Objects.hash(sharedHashCode(), textField, fusion);
  }
}
