package dev.modernbert.knn.query;

import dev.modernbert.knn.mapping.VectorFieldMappings;
import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.search.Query;
import org.opensearch.core.ParseField;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.opensearch.knn.index.query.KNNQueryBuilder;

/**
 * {@code modernbert_knn}: semantic retrieval from query text. The text is embedded on the coordinating node
 * ({@link TextEmbeddingQueryBuilder}); on the shards the query becomes a k-NN query on a lucene-engine
 * {@code knn_vector} field. When the field lies inside a {@code nested} path, parents are scored by their best chunk and
 * {@code inner_hits} returns the best chunks (text and offsets, without the vector) — the passages for RAG.
 *
 * <p>Scores are k-NN's lucene cosine scores, {@code (1 + cos) / 2}; {@code min_score} drops chunks below it.
 */
public final class ModernBertKnnQueryBuilder extends TextEmbeddingQueryBuilder<ModernBertKnnQueryBuilder> {
  public static final String NAME = "modernbert_knn";
  public static final int DEFAULT_K = 10;

  private static final ParseField FILTER = new ParseField("filter");

  private int k = DEFAULT_K;
  private QueryBuilder filter;
  private Float minScore;

  public ModernBertKnnQueryBuilder(String field, String queryText, QueryVectorSource vectors) {
    super(NAME, field, queryText, vectors);
  }

  public ModernBertKnnQueryBuilder(StreamInput in, QueryVectorSource vectors) throws IOException {
    super(in, vectors);
    k = in.readVInt();
    filter = in.readOptionalNamedWriteable(QueryBuilder.class);
    minScore = in.readOptionalFloat();
  }

  @Override
  protected void writeOwnFields(StreamOutput out) throws IOException {
    out.writeVInt(k);
    out.writeOptionalNamedWriteable(filter);
    out.writeOptionalFloat(minScore);
  }

  public ModernBertKnnQueryBuilder k(int k) {
    if (k < 1 || k > KNNQueryBuilder.K_MAX) {
      throw new IllegalArgumentException("[" + NAME + "] [k] must be in [1, " + KNNQueryBuilder.K_MAX + "], got " + k);
    }
    this.k = k;
    return this;
  }

  /**
   * Restricts the k-NN search to documents matching {@code filter} (k-NN's efficient filtering: k results that
   * match, not k results filtered afterwards). Not {@code filter(QueryBuilder)}, which every query builder has
   * with another meaning (wrap in a bool filter).
   */
  public ModernBertKnnQueryBuilder knnFilter(QueryBuilder filter) {
    this.filter = filter;
    return this;
  }

  public ModernBertKnnQueryBuilder minScore(Float minScore) {
    if (minScore != null && !(minScore >= 0)) {
      throw new IllegalArgumentException("[" + NAME + "] [min_score] must be >= 0, got " + minScore);
    }
    this.minScore = minScore;
    return this;
  }

  @Override
  public String getWriteableName() {
    return NAME;
  }

  @Override
  protected void doXContent(XContentBuilder b, Params params) throws IOException {
    b.startObject(NAME);
    sharedXContent(b);
    b.field("k", k);
    if (filter != null) {
      b.field(FILTER.getPreferredName(), filter);
    }
    if (minScore != null) {
      b.field("min_score", minScore);
    }
    closingXContent(b, params);
    b.endObject();
  }

  /** Parses the query's JSON body (the object inside {@code "modernbert_knn"}). */
  public static ModernBertKnnQueryBuilder fromXContent(XContentParser p, QueryVectorSource vectors) throws IOException {
    SharedFields shared = new SharedFields();
    Integer k = null;
    QueryBuilder filter = null;
    Float minScore = null;
    String current = null;
    for (XContentParser.Token t = p.nextToken(); t != XContentParser.Token.END_OBJECT; t = p.nextToken()) {
      if (t == XContentParser.Token.FIELD_NAME) {
        current = p.currentName();
      } else if (shared.read(current, p, t)) {
        continue;
      } else if (t == XContentParser.Token.START_OBJECT && FILTER.match(current, p.getDeprecationHandler())) {
        filter = parseInnerQueryBuilder(p);
      } else if (t.isValue() || t == XContentParser.Token.VALUE_NULL) {
        switch (current) {
          case "k" -> k = p.intValue();
          case "min_score" -> minScore = t == XContentParser.Token.VALUE_NULL ? null : p.floatValue();
          default -> throw unsupported(p, NAME, current, t);
        }
      } else {
        throw unsupported(p, NAME, current, t);
      }
    }
    try {
      ModernBertKnnQueryBuilder q = shared.applyTo(new ModernBertKnnQueryBuilder(shared.field(), shared.queryText(),
          vectors)).knnFilter(filter).minScore(minScore);
      return k == null ? q : q.k(k);
    } catch (IllegalArgumentException e) {
      throw new ParsingException(p.getTokenLocation(), e.getMessage(), e);
    }
  }

  @Override
  protected ModernBertKnnQueryBuilder withVector(float[] v) {
    return copyShared(new ModernBertKnnQueryBuilder(field, queryText, vectors()).k(k).knnFilter(filter)
        .minScore(minScore), v);
  }

  @Override
  protected QueryBuilder shardQuery(QueryShardContext shard) {
    return knnQuery(shard);
  }

  /** On a shard: the k-NN query, wrapped in a {@code nested} query when the field is inside one. */
  private QueryBuilder knnQuery(QueryShardContext shard) {
    VectorFieldMappings.requireLuceneVector(field, shard.fieldMapper(field), vector.length);
    QueryBuilder knn = KNNQueryBuilder.builder().fieldName(field).vector(vector).k(k).filter(filter)
        .expandNested(innerHits != null ? Boolean.TRUE : null).build();
    if (minScore != null) {
      knn = new FunctionScoreQueryBuilder(knn).setMinScore(minScore);
    }
    String path = nestedPath(field, shard);
    return overPassages(knn, path);
  }

  @Override
  protected Query doToQuery(QueryShardContext context) {
    throw new IllegalStateException("[" + NAME + "] must be rewritten before it is run");
  }

  @Override
  protected boolean doEquals(ModernBertKnnQueryBuilder o) {
    return sharedEquals(o) && k == o.k && Objects.equals(filter, o.filter) && Objects.equals(minScore, o.minScore);
  }

  @Override
  protected int doHashCode() {
    return Objects.hash(sharedHashCode(), k, filter, minScore);
  }
}
