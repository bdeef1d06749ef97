package dev.modernbert.knn.query;

import dev.modernbert.knn.mapping.VectorFieldMappings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.join.ScoreMode;
import org.apache.lucene.util.SetOnce;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.core.ParseField;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.ObjectMapper;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.NestedQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryCoordinatorContext;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.opensearch.knn.index.query.KNNQueryBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;

/**
 * {@code modernbert_knn}: semantic retrieval from query text. On the coordinating node the rewrite phase embeds
 * {@code query_text} once, asynchronously (never on a search thread), through the node's query cache; the
 * vector travels to the shards (a request that reaches a shard without it is embedded there the same way), where
 * the query becomes a k-NN query on a lucene-engine {@code knn_vector}
 * field. When the field lies inside a {@code nested} path, parents are scored by their best chunk and
 * {@code inner_hits} returns the best chunks (text and offsets, without the vector) — the passages for RAG.
 *
 * <p>Scores are k-NN's lucene cosine scores, {@code (1 + cos) / 2}; {@code min_score} drops chunks below it.
 */
public final class ModernBertKnnQueryBuilder extends AbstractQueryBuilder<ModernBertKnnQueryBuilder> {
  public static final String NAME = "modernbert_knn";
  public static final int DEFAULT_K = 10;

  private static final ParseField FIELD = new ParseField("field");
  private static final ParseField QUERY_TEXT = new ParseField("query_text");
  private static final ParseField MODEL = new ParseField("model");
  private static final ParseField K = new ParseField("k");
  private static final ParseField FILTER = new ParseField("filter");
  private static final ParseField MIN_SCORE = new ParseField("min_score");
  private static final ParseField PREFIX = new ParseField("prefix");
  private static final ParseField INNER_HITS = new ParseField("inner_hits");

  private final QueryVectorSource vectors;
  private final String field;
  private final String queryText;
  private String model;
  private int k = DEFAULT_K;
  private QueryBuilder filter;
  private Float minScore;
  private String prefix;
  private InnerHitBuilder innerHits;
  /** The embedded text: set by the coordinating node's rewrite, then sent to the shards. */
  private float[] vector;
  /** Between registering the embedding and its completion, on the coordinating node only. */
  private Supplier<float[]> pendingVector;

  public ModernBertKnnQueryBuilder(String field, String queryText, QueryVectorSource vectors) {
    if (field == null || field.isEmpty()) {
      throw new IllegalArgumentException("[" + NAME + "] requires [field]");
    }
    if (queryText == null || queryText.isBlank()) {
      throw new IllegalArgumentException("[" + NAME + "] requires a non-blank [query_text]");
    }
    this.field = field;
    this.queryText = queryText;
    this.vectors = vectors;
  }

  public ModernBertKnnQueryBuilder(StreamInput in, QueryVectorSource vectors) throws IOException {
    super(in);
    this.vectors = vectors;
    field = in.readString();
    queryText = in.readString();
    model = in.readOptionalString();
    k = in.readVInt();
    filter = in.readOptionalNamedWriteable(QueryBuilder.class);
    minScore = in.readOptionalFloat();
    prefix = in.readOptionalString();
    innerHits = in.readOptionalWriteable(InnerHitBuilder::new);
    vector = in.readBoolean() ? in.readFloatArray() : null;
  }

  @Override
  protected void doWriteTo(StreamOutput out) throws IOException {
    out.writeString(field);
    out.writeString(queryText);
    out.writeOptionalString(model);
    out.writeVInt(k);
    out.writeOptionalNamedWriteable(filter);
    out.writeOptionalFloat(minScore);
    out.writeOptionalString(prefix);
    out.writeOptionalWriteable(innerHits);
    out.writeBoolean(vector != null);
    if (vector != null) {
      out.writeFloatArray(vector);
    }
  }

  public ModernBertKnnQueryBuilder model(String model) {
    this.model = model;
    return this;
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

  public ModernBertKnnQueryBuilder prefix(String prefix) {
    this.prefix = prefix;
    return this;
  }

  public ModernBertKnnQueryBuilder innerHit(InnerHitBuilder innerHits) {
    this.innerHits = innerHits;
    return this;
  }

  public String fieldName() {
    return field;
  }

  public String queryText() {
    return queryText;
  }

  /** The query vector once the coordinating node has embedded the text, else {@code null}. */
  public float[] vector() {
    return vector == null ? null : vector.clone();
  }

  @Override
  public String getWriteableName() {
    return NAME;
  }

  @Override
  protected void doXContent(XContentBuilder b, Params params) throws IOException {
    b.startObject(NAME);
    b.field(FIELD.getPreferredName(), field);
    b.field(QUERY_TEXT.getPreferredName(), queryText);
    if (model != null) {
      b.field(MODEL.getPreferredName(), model);
    }
    b.field(K.getPreferredName(), k);
    if (filter != null) {
      b.field(FILTER.getPreferredName(), filter);
    }
    if (minScore != null) {
      b.field(MIN_SCORE.getPreferredName(), minScore);
    }
    if (prefix != null) {
      b.field(PREFIX.getPreferredName(), prefix);
    }
    if (innerHits != null) {
      b.field(INNER_HITS.getPreferredName(), innerHits, params);
    }
    printBoostAndQueryName(b);
    b.endObject();
  }

  /** Parses the query's JSON body (the object inside {@code "modernbert_knn"}). */
  public static ModernBertKnnQueryBuilder fromXContent(XContentParser p, QueryVectorSource vectors) throws IOException {
    String field = null;
    String text = null;
    String model = null;
    Integer k = null;
    QueryBuilder filter = null;
    Float minScore = null;
    String prefix = null;
    InnerHitBuilder innerHits = null;
    float boost = DEFAULT_BOOST;
    String name = null;
    String current = null;
    for (XContentParser.Token t = p.nextToken(); t != XContentParser.Token.END_OBJECT; t = p.nextToken()) {
      if (t == XContentParser.Token.FIELD_NAME) {
        current = p.currentName();
      } else if (t == XContentParser.Token.START_OBJECT && FILTER.match(current, p.getDeprecationHandler())) {
        filter = parseInnerQueryBuilder(p);
      } else if (t == XContentParser.Token.START_OBJECT && INNER_HITS.match(current, p.getDeprecationHandler())) {
        innerHits = InnerHitBuilder.fromXContent(p);
      } else if (t.isValue() || t == XContentParser.Token.VALUE_NULL) {
        switch (current) {
          case "field" -> field = p.text();
          case "query_text" -> text = p.text();
          case "model" -> model = p.textOrNull();
          case "k" -> k = p.intValue();
          case "min_score" -> minScore = t == XContentParser.Token.VALUE_NULL ? null : p.floatValue();
          case "prefix" -> prefix = p.textOrNull();
          case "boost" -> boost = p.floatValue();
          case "_name" -> name = p.text();
          default -> throw new ParsingException(p.getTokenLocation(), "[" + NAME + "] does not support [" + current + "]");
        }
      } else {
        throw new ParsingException(p.getTokenLocation(), "[" + NAME + "] does not support [" + current + "] as " + t);
      }
    }
    try {
      ModernBertKnnQueryBuilder q = new ModernBertKnnQueryBuilder(field, text, vectors).model(model).knnFilter(filter)
          .minScore(minScore).prefix(prefix).innerHit(innerHits);
      if (k != null) {
        q.k(k);
      }
      q.boost(boost).queryName(name);
      return q;
    } catch (IllegalArgumentException e) {
      throw new ParsingException(p.getTokenLocation(), e.getMessage(), e);
    }
  }

  @Override
  protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
    QueryShardContext shard = context.convertToShardContext();
    if (vector != null) {
      return shard == null ? this : knnQuery(shard);
    }
    if (pendingVector != null) {
      float[] v = pendingVector.get();
      return v == null ? this : copy(v);
    }
    SetOnce<float[]> embedded = new SetOnce<>();
    QueryCoordinatorContext coordinator = context.convertToCoordinatorContext();
    String[] indices = coordinator == null ? null : coordinator.getSearchRequest().indices();
    context.registerAsyncAction((client, listener) -> vectors.embed(field, model, queryText, prefix, indices,
        ActionListener.wrap(v -> {
          embedded.set(v);
          listener.onResponse(null);
        }, listener::onFailure)));
    ModernBertKnnQueryBuilder pending = copy(null);
    pending.pendingVector = embedded::get;
    return pending;
  }

  private ModernBertKnnQueryBuilder copy(float[] v) {
    ModernBertKnnQueryBuilder q = new ModernBertKnnQueryBuilder(field, queryText, vectors).model(model).k(k)
        .knnFilter(filter).minScore(minScore).prefix(prefix).innerHit(innerHits);
    q.vector = v;
    return q;
  }

  /** On a shard: the k-NN query, wrapped in a {@code nested} query when the field is inside one. */
  private QueryBuilder knnQuery(QueryShardContext shard) {
    VectorFieldMappings.requireLuceneVector(field, shard.fieldMapper(field), vector.length);
    QueryBuilder knn = KNNQueryBuilder.builder().fieldName(field).vector(vector).k(k).filter(filter)
        .expandNested(innerHits != null ? Boolean.TRUE : null).build();
    if (minScore != null) {
      knn = new FunctionScoreQueryBuilder(knn).setMinScore(minScore);
    }
    String path = nestedPath(shard);
    if (path == null) {
      if (innerHits != null) {
        throw new IllegalArgumentException("[" + NAME + "] [inner_hits] needs [field] inside a nested field, but ["
            + field + "] is not");
      }
      return knn;
    }
    NestedQueryBuilder nested = new NestedQueryBuilder(path, knn, ScoreMode.Max);
    if (innerHits != null) {
      nested.innerHit(passages(path));
    }
    return nested;
  }

  /** The user's inner_hits, by default without the chunk vectors: passages are for reading, not for k-NN. */
  private InnerHitBuilder passages(String path) {
    InnerHitBuilder ih = copyOf(innerHits);
    if (ih.getFetchSourceContext() == null) {
      ih.setFetchSourceContext(new FetchSourceContext(true, null, new String[] {field}));
    }
    if (ih.getName() == null) {
      ih.setName(path);
    }
    return ih;
  }

  /** A private copy: shards on one node may share this builder, so the user's object is never changed. */
  private static InnerHitBuilder copyOf(InnerHitBuilder ih) {
    try (BytesStreamOutput out = new BytesStreamOutput()) {
      ih.writeTo(out);
      return new InnerHitBuilder(out.bytes().streamInput());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The nested object holding {@code field}, or {@code null}; more than one nested level is refused. */
  private String nestedPath(QueryShardContext shard) {
    String path = null;
    for (int dot = field.lastIndexOf('.'); dot > 0; dot = field.lastIndexOf('.', dot - 1)) {
      ObjectMapper parent = shard.getObjectMapper(field.substring(0, dot));
      if (parent != null && parent.nested().isNested()) {
        if (path != null) {
          throw new IllegalArgumentException("[" + NAME + "] field [" + field + "] is inside more than one nested "
              + "level ([" + field.substring(0, dot) + "] and [" + path + "]); only one is supported");
        }
        path = field.substring(0, dot);
      }
    }
    return path;
  }

  @Override
  protected Query doToQuery(QueryShardContext context) {
    throw new IllegalStateException("[" + NAME + "] must be rewritten before it is run");
  }

  @Override
  protected boolean doEquals(ModernBertKnnQueryBuilder o) {
    return field.equals(o.field) && queryText.equals(o.queryText) && Objects.equals(model, o.model) && k == o.k
        && Objects.equals(filter, o.filter) && Objects.equals(minScore, o.minScore) && Objects.equals(prefix, o.prefix)
        && Objects.equals(innerHits, o.innerHits) && Arrays.equals(vector, o.vector);
  }

  @Override
  protected int doHashCode() {
    return Objects.hash(field, queryText, model, k, filter, minScore, prefix, innerHits, Arrays.hashCode(vector));
  }
}
