package dev.modernbert.elasticsearch.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.join.ScoreMode;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.Index;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.mapper.vectors.DenseVectorFieldMapper.DenseVectorFieldType;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.InnerHitBuilder;
import org.elasticsearch.index.query.NestedQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;
import org.elasticsearch.search.internal.MaxClauseCountQueryVisitor;
import org.elasticsearch.search.vectors.KnnVectorQueryBuilder;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

/**
 * {@code modernbert_knn}: semantic retrieval from query text, with the OpenSearch edition's options. On the
 * coordinating node the rewrite embeds {@code query_text} once, asynchronously (never on a search thread), through
 * the node's query cache; the vector travels to the shards, where the query becomes Elasticsearch's own {@code knn}
 * query on a {@code dense_vector} field. When the field lies inside a {@code nested} object, documents are scored by
 * their best passage and {@code inner_hits} returns the best passages (text and offsets, without the vector).
 *
 * <p>Scores are Elasticsearch's cosine scores, {@code (1 + cos) / 2}.
 */
public final class ModernBertKnnQueryBuilder extends AbstractQueryBuilder<ModernBertKnnQueryBuilder> {
  public static final String NAME = "modernbert_knn";
  public static final int DEFAULT_K = 10;
  /** Elasticsearch's limit on {@code k} and {@code num_candidates}. */
  public static final int MAX_CANDIDATES = 10_000;

  private final QueryVectors vectors;
  private final String field;
  private final String queryText;
  private String model;
  private String prefix;
  private int k = DEFAULT_K;
  private Integer numCandidates;
  private QueryBuilder filter;
  private InnerHitBuilder innerHits;
  /** The embedded text: set by the coordinating node's rewrite, then sent to the shards. */
  private float[] vector;
  /** Between registering the embedding and its completion, on the coordinating node only. */
  private Supplier<float[]> pendingVector;

  public ModernBertKnnQueryBuilder(String field, String queryText, QueryVectors vectors) {
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

  public ModernBertKnnQueryBuilder(StreamInput in, QueryVectors vectors) throws IOException {
    super(in);
    this.vectors = vectors;
    field = in.readString();
    queryText = in.readString();
    model = in.readOptionalString();
    prefix = in.readOptionalString();
    k = in.readVInt();
    numCandidates = in.readOptionalVInt();
    filter = in.readOptionalNamedWriteable(QueryBuilder.class);
    innerHits = in.readOptionalWriteable(InnerHitBuilder::new);
    vector = in.readBoolean() ? in.readFloatArray() : null;
  }

  @Override
  protected void doWriteTo(StreamOutput out) throws IOException {
    out.writeString(field);
    out.writeString(queryText);
    out.writeOptionalString(model);
    out.writeOptionalString(prefix);
    out.writeVInt(k);
    out.writeOptionalVInt(numCandidates);
    out.writeOptionalNamedWriteable(filter);
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

  public ModernBertKnnQueryBuilder prefix(String prefix) {
    this.prefix = prefix;
    return this;
  }

  public ModernBertKnnQueryBuilder k(int k) {
    if (k < 1 || k > MAX_CANDIDATES) {
      throw new IllegalArgumentException("[" + NAME + "] [k] must be in [1, " + MAX_CANDIDATES + "], got " + k);
    }
    this.k = k;
    return this;
  }

  /** Candidates per shard for the HNSW search (Elasticsearch's default when {@code null}). */
  public ModernBertKnnQueryBuilder numCandidates(Integer numCandidates) {
    if (numCandidates != null && (numCandidates < 1 || numCandidates > MAX_CANDIDATES)) {
      throw new IllegalArgumentException("[" + NAME + "] [num_candidates] must be in [1, " + MAX_CANDIDATES
          + "], got " + numCandidates);
    }
    this.numCandidates = numCandidates;
    return this;
  }

  /** Restricts the k-NN search to passages matching {@code filter} (k results that match, not fewer). */
  public ModernBertKnnQueryBuilder knnFilter(QueryBuilder filter) {
    this.filter = filter;
    return this;
  }

  public ModernBertKnnQueryBuilder innerHit(InnerHitBuilder innerHits) {
    this.innerHits = innerHits;
    return this;
  }

  /** Sets the embedded text's vector, as the coordinating node does (for clients that embed themselves). */
  public ModernBertKnnQueryBuilder vector(float[] vector) {
    this.vector = vector == null ? null : vector.clone();
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
  public TransportVersion getMinimalSupportedVersion() {
    return TransportVersion.zero();
  }

  /**
   * On the coordinating node: the text's embedding, registered as an async action, then this query with its vector
   * (a request that reaches a shard without one is embedded there the same way). On a shard with the vector: the
   * query that runs. Other rewrites (can-match, inner hits) leave it as it is.
   */
  @Override
  protected QueryBuilder doRewrite(QueryRewriteContext context) {
    SearchExecutionContext shard = context.convertToSearchExecutionContext();
    if (vector != null) {
      return shard != null ? shardQuery(shard) : this;
    }
    if (pendingVector != null) {
      float[] v = pendingVector.get();
      return v == null ? this : copy().vector(v);
    }
    if (shard == null && (context.convertToIndexMetadataContext() != null
        || context.convertToCoordinatorRewriteContext() != null || context.convertToInnerHitsRewriteContext() != null)) {
      return this;
    }
    SetOnce<float[]> embedded = new SetOnce<>();
    Map<Index, IndexMetadata> indices = searchedIndices(context, shard);
    context.registerAsyncAction((client, listener) -> vectors.embed(field, model, queryText, prefix, indices,
        ActionListener.wrap(v -> {
          embedded.set(v);
          listener.onResponse(null);
        }, listener::onFailure)));
    ModernBertKnnQueryBuilder pending = copy();
    pending.pendingVector = embedded::get;
    return pending;
  }

  /** The indices whose pipelines and mappings name the default model: the shard's, or those the search names. */
  private static Map<Index, IndexMetadata> searchedIndices(QueryRewriteContext context, SearchExecutionContext shard) {
    if (shard != null) {
      IndexMetadata md = shard.getIndexSettings().getIndexMetadata();
      return Map.of(md.getIndex(), md);
    }
    ResolvedIndices resolved = context.getResolvedIndices();
    return resolved == null ? Map.of() : resolved.getConcreteLocalIndicesMetadata();
  }

  /** On a shard, with the vector known: the {@code knn} query, inside a {@code nested} query for passages. */
  private QueryBuilder shardQuery(SearchExecutionContext shard) {
    requireDenseVector(shard.getFieldType(field));
    KnnVectorQueryBuilder knn = new KnnVectorQueryBuilder(field, vector, k, numCandidates, null, null, null);
    if (filter != null) {
      knn.addFilterQuery(filter);
    }
    String path = shard.nestedLookup().getNestedParent(field);
    if (path == null) {
      if (innerHits != null) {
        throw new IllegalArgumentException("[" + NAME + "] [inner_hits] needs [field] inside a nested field, but ["
            + field + "] is not");
      }
      return knn.boost(boost).queryName(queryName);
    }
    NestedQueryBuilder nested = new NestedQueryBuilder(path, knn, ScoreMode.Max);
    if (innerHits != null) {
      nested.innerHit(passages(path));
    }
    return nested.boost(boost).queryName(queryName);
  }

  private void requireDenseVector(MappedFieldType type) {
    if (!(type instanceof DenseVectorFieldType dense)) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "] must be a dense_vector field, but it is "
          + (type == null ? "not mapped" : "of type [" + type.typeName() + "]"));
    }
    if (dense.getVectorDimensions() != vector.length) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "] has " + dense.getVectorDimensions()
          + " dimensions, but the model's vectors have " + vector.length);
    }
  }

  /** The user's inner_hits, by default without the passage vectors: passages are for reading, not for k-NN. */
  private InnerHitBuilder passages(String path) {
    InnerHitBuilder ih = copyOf(innerHits);
    if (ih.getFetchSourceContext() == null) {
      ih.setFetchSourceContext(FetchSourceContext.of(true, null, new String[] {field}));
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

  private ModernBertKnnQueryBuilder copy() {
    ModernBertKnnQueryBuilder c = new ModernBertKnnQueryBuilder(field, queryText, vectors).model(model).prefix(prefix)
        .k(k).numCandidates(numCandidates).knnFilter(filter).innerHit(innerHits).vector(vector);
    return c.boost(boost).queryName(queryName);
  }

  @Override
  protected Query doToQuery(SearchExecutionContext context, MaxClauseCountQueryVisitor visitor) {
    throw new IllegalStateException("[" + NAME + "] must be rewritten before it is run");
  }

  @Override
  protected void doXContent(XContentBuilder b, Params params) throws IOException {
    b.startObject(NAME);
    b.field("field", field);
    b.field("query_text", queryText);
    if (model != null) {
      b.field("model", model);
    }
    if (prefix != null) {
      b.field("prefix", prefix);
    }
    b.field("k", k);
    if (numCandidates != null) {
      b.field("num_candidates", numCandidates);
    }
    if (filter != null) {
      b.field("filter", filter);
    }
    if (innerHits != null) {
      b.field("inner_hits", innerHits, params);
    }
    printBoostAndQueryName(b);
    b.endObject();
  }

  /** Parses the query's JSON body (the object inside {@code "modernbert_knn"}). */
  public static ModernBertKnnQueryBuilder fromXContent(XContentParser p, QueryVectors vectors) throws IOException {
    String field = null;
    String text = null;
    String model = null;
    String prefix = null;
    Integer k = null;
    Integer numCandidates = null;
    QueryBuilder filter = null;
    InnerHitBuilder innerHits = null;
    float boost = DEFAULT_BOOST;
    String name = null;
    String current = null;
    for (XContentParser.Token t = p.nextToken(); t != XContentParser.Token.END_OBJECT; t = p.nextToken()) {
      if (t == XContentParser.Token.FIELD_NAME) {
        current = p.currentName();
      } else if (t == XContentParser.Token.START_OBJECT && "filter".equals(current)) {
        filter = parseInnerQueryBuilder(p);
      } else if (t == XContentParser.Token.START_OBJECT && "inner_hits".equals(current)) {
        innerHits = InnerHitBuilder.fromXContent(p);
      } else if (t.isValue() || t == XContentParser.Token.VALUE_NULL) {
        switch (current) {
          case "field" -> field = p.text();
          case "query_text" -> text = p.text();
          case "model" -> model = p.textOrNull();
          case "prefix" -> prefix = p.textOrNull();
          case "k" -> k = p.intValue();
          case "num_candidates" -> numCandidates = t == XContentParser.Token.VALUE_NULL ? null : p.intValue();
          case "boost" -> boost = p.floatValue();
          case "_name" -> name = p.text();
          default -> throw unsupported(p, current, t);
        }
      } else {
        throw unsupported(p, current, t);
      }
    }
    try {
      ModernBertKnnQueryBuilder q = new ModernBertKnnQueryBuilder(field, text, vectors).model(model).prefix(prefix)
          .numCandidates(numCandidates).knnFilter(filter).innerHit(innerHits);
      if (k != null) {
        q.k(k);
      }
      return q.boost(boost).queryName(name);
    } catch (IllegalArgumentException e) {
      throw new ParsingException(p.getTokenLocation(), e.getMessage(), e);
    }
  }

  private static ParsingException unsupported(XContentParser p, String field, XContentParser.Token t) {
    return new ParsingException(p.getTokenLocation(), "[" + NAME + "] does not support [" + field + "]"
        + (t.isValue() || t == XContentParser.Token.VALUE_NULL ? "" : " as " + t));
  }

  @Override
  protected boolean doEquals(ModernBertKnnQueryBuilder o) {
    return field.equals(o.field) && queryText.equals(o.queryText) && Objects.equals(model, o.model)
        && Objects.equals(prefix, o.prefix) && k == o.k && Objects.equals(numCandidates, o.numCandidates)
        && Objects.equals(filter, o.filter) && Objects.equals(innerHits, o.innerHits)
        && Arrays.equals(vector, o.vector);
  }

  @Override
  protected int doHashCode() {
    return Objects.hash(field, queryText, model, prefix, k, numCandidates, filter, innerHits, Arrays.hashCode(vector));
  }
}
