package dev.modernbert.elasticsearch.query;

import dev.modernbert.fusion.KeywordField;
import dev.modernbert.fusion.RankFusion;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

/**
 * {@code modernbert_hybrid}: the passages ranked by meaning and by keyword, fused, as on the OpenSearch edition.
 * The text is embedded as for {@code modernbert_knn}; on each shard the passages' vectors ({@code field}, a
 * {@code dense_vector}, Elasticsearch's {@code knn}) and their text ({@code text_field}, BM25 with the field's
 * analyzer, e.g. {@code modernbert_ja}) each rank the shard's passages to their depth, and reciprocal rank fusion
 * ({@link RankFusion}) merges the two rankings. When the field lies inside a {@code nested} path, documents are
 * scored by their best passage and {@code inner_hits} returns the best passages. The fusion runs per shard: with one
 * shard it is the fusion of the index's rankings. Needs no {@code rrf} retriever (no x-pack).
 */
public final class ModernBertHybridQueryBuilder extends TextEmbeddingQueryBuilder<ModernBertHybridQueryBuilder> {
  public static final String NAME = "modernbert_hybrid";

  private String textField;
  private RankFusion fusion = RankFusion.DEFAULTS;

  public ModernBertHybridQueryBuilder(String field, String queryText, QueryVectors vectors) {
    super(NAME, field, queryText, vectors);
  }

  public ModernBertHybridQueryBuilder(StreamInput in, QueryVectors vectors) throws IOException {
    super(in, vectors);
    textField = in.readOptionalString();
    fusion = RankFusionQueryBuilder.readFusion(in);
  }

  @Override
  protected void writeOwnFields(StreamOutput out) throws IOException {
    out.writeOptionalString(textField);
    RankFusionQueryBuilder.writeFusion(out, fusion);
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
  protected QueryBuilder shardQuery(SearchExecutionContext shard) {
    ModernBertKnnQueryBuilder.requireDenseVector(NAME, field, shard.getFieldType(field), vector.length);
    String text = KeywordField.resolve(NAME, field, textField, new KeywordField.Mapping() {
      @Override
      public String index() {
        return shard.index().getName();
      }

      @Override
      public String typeName(String name) {
        MappedFieldType type = shard.getFieldType(name);
        return type == null ? null : type.typeName();
      }

      @Override
      public String nestedPath(String name) {
        return shard.nestedLookup().getNestedParent(name);
      }
    });
    return overPassages(new RankFusionQueryBuilder(field, vector, text, queryText, fusion),
        shard.nestedLookup().getNestedParent(field));
  }

  @Override
  protected void doXContent(XContentBuilder b, Params params) throws IOException {
    b.startObject(NAME);
    sharedXContent(b);
    if (textField != null) {
      b.field("text_field", textField);
    }
    RankFusionQueryBuilder.fusionXContent(b, fusion);
    closingXContent(b, params);
    b.endObject();
  }

  /** Parses the query's JSON body (the object inside {@code "modernbert_hybrid"}). */
  public static ModernBertHybridQueryBuilder fromXContent(XContentParser p, QueryVectors vectors) throws IOException {
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
        fusion.put(current, RankFusionQueryBuilder.fusionParameter(p, NAME, current));
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
  protected boolean doEquals(ModernBertHybridQueryBuilder o) {
    return sharedEquals(o) && Objects.equals(textField, o.textField) && fusion.equals(o.fusion);
  }

  @Override
  protected int doHashCode() {
    return Objects.hash(sharedHashCode(), textField, fusion);
  }
}
