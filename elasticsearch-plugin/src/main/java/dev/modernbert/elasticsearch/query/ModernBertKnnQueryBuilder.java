package dev.modernbert.elasticsearch.query;

import java.io.IOException;
import java.util.Objects;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.mapper.vectors.DenseVectorFieldMapper.DenseVectorFieldType;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.vectors.KnnVectorQueryBuilder;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

/**
 * {@code modernbert_knn}: semantic retrieval from query text, with the OpenSearch edition's options. The text is
 * embedded on the coordinating node ({@link TextEmbeddingQueryBuilder}); on the shards the query becomes
 * Elasticsearch's own {@code knn} query on a {@code dense_vector} field. When the field lies inside a {@code nested}
 * object, documents are scored by their best passage and {@code inner_hits} returns the best passages (text and
 * offsets, without the vector).
 *
 * <p>Scores are Elasticsearch's cosine scores, {@code (1 + cos) / 2}.
 */
public final class ModernBertKnnQueryBuilder extends TextEmbeddingQueryBuilder<ModernBertKnnQueryBuilder> {
  public static final String NAME = "modernbert_knn";
  public static final int DEFAULT_K = 10;
  /** Elasticsearch's limit on {@code k} and {@code num_candidates}. */
  public static final int MAX_CANDIDATES = 10_000;

  private int k = DEFAULT_K;
  private Integer numCandidates;
  private QueryBuilder filter;

  public ModernBertKnnQueryBuilder(String field, String queryText, QueryVectors vectors) {
    super(NAME, field, queryText, vectors);
  }

  public ModernBertKnnQueryBuilder(StreamInput in, QueryVectors vectors) throws IOException {
    super(in, vectors);
    k = in.readVInt();
    numCandidates = in.readOptionalVInt();
    filter = in.readOptionalNamedWriteable(QueryBuilder.class);
  }

  @Override
  protected void writeOwnFields(StreamOutput out) throws IOException {
    out.writeVInt(k);
    out.writeOptionalVInt(numCandidates);
    out.writeOptionalNamedWriteable(filter);
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

  @Override
  public String getWriteableName() {
    return NAME;
  }

  @Override
  protected ModernBertKnnQueryBuilder withVector(float[] v) {
    return copyShared(new ModernBertKnnQueryBuilder(field, queryText, vectors()).k(k).numCandidates(numCandidates)
        .knnFilter(filter), v);
  }

  /** On a shard, with the vector known: the {@code knn} query, inside a {@code nested} query for passages. */
  @Override
  protected QueryBuilder shardQuery(SearchExecutionContext shard) {
    requireDenseVector(NAME, field, shard.getFieldType(field), vector.length);
    KnnVectorQueryBuilder knn = new KnnVectorQueryBuilder(field, vector, k, numCandidates, null, null, null);
    if (filter != null) {
      knn.addFilterQuery(filter);
    }
    return overPassages(knn, shard.nestedLookup().getNestedParent(field));
  }

  /** The field as a {@code dense_vector} of the model's dimension; else refused, naming the query and the field. */
  static DenseVectorFieldType requireDenseVector(String query, String field, MappedFieldType type, int dimension) {
    if (!(type instanceof DenseVectorFieldType dense)) {
      throw new IllegalArgumentException("[" + query + "] field [" + field + "] must be a dense_vector field, but it "
          + "is " + (type == null ? "not mapped" : "of type [" + type.typeName() + "]"));
    }
    if (dense.getVectorDimensions() != dimension) {
      throw new IllegalArgumentException("[" + query + "] field [" + field + "] has " + dense.getVectorDimensions()
          + " dimensions, but the model's vectors have " + dimension);
    }
    return dense;
  }

  @Override
  protected void doXContent(XContentBuilder b, Params params) throws IOException {
    b.startObject(NAME);
    sharedXContent(b);
    b.field("k", k);
    if (numCandidates != null) {
      b.field("num_candidates", numCandidates);
    }
    if (filter != null) {
      b.field("filter", filter);
    }
    closingXContent(b, params);
    b.endObject();
  }

  /** Parses the query's JSON body (the object inside {@code "modernbert_knn"}). */
  public static ModernBertKnnQueryBuilder fromXContent(XContentParser p, QueryVectors vectors) throws IOException {
    SharedFields shared = new SharedFields();
    Integer k = null;
    Integer numCandidates = null;
    QueryBuilder filter = null;
    String current = null;
    for (XContentParser.Token t = p.nextToken(); t != XContentParser.Token.END_OBJECT; t = p.nextToken()) {
      if (t == XContentParser.Token.FIELD_NAME) {
        current = p.currentName();
      } else if (shared.read(current, p, t)) {
        continue;
      } else if (t == XContentParser.Token.START_OBJECT && "filter".equals(current)) {
        filter = parseInnerQueryBuilder(p);
      } else if (t.isValue() || t == XContentParser.Token.VALUE_NULL) {
        switch (current) {
          case "k" -> k = p.intValue();
          case "num_candidates" -> numCandidates = t == XContentParser.Token.VALUE_NULL ? null : p.intValue();
          default -> throw unsupported(p, NAME, current, t);
        }
      } else {
        throw unsupported(p, NAME, current, t);
      }
    }
    try {
      ModernBertKnnQueryBuilder q = shared.applyTo(new ModernBertKnnQueryBuilder(shared.field(), shared.queryText(),
          vectors)).numCandidates(numCandidates).knnFilter(filter);
      return k == null ? q : q.k(k);
    } catch (IllegalArgumentException e) {
      throw new ParsingException(p.getTokenLocation(), e.getMessage(), e);
    }
  }

  @Override
  protected boolean doEquals(ModernBertKnnQueryBuilder o) {
    return sharedEquals(o) && k == o.k && Objects.equals(numCandidates, o.numCandidates)
        && Objects.equals(filter, o.filter);
  }

  @Override
  protected int doHashCode() {
    return Objects.hash(sharedHashCode(), k, numCandidates, filter);
  }
}
