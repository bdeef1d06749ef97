package dev.modernbert.knn.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.lucene.search.join.ScoreMode;
import org.apache.lucene.util.SetOnce;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContent;
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
import org.opensearch.search.fetch.subphase.FetchSourceContext;

/**
 * A query whose text becomes a vector: on the coordinating node the rewrite phase embeds {@code query_text} once,
 * asynchronously (never on a search thread), through the node's query cache; the vector travels to the shards (a
 * request that reaches a shard without it is embedded there the same way), where the subclass turns it into the
 * query that runs. Shared by {@code modernbert_knn} and {@code modernbert_hybrid}: the vector field, the text,
 * the model and prefix, the passages ({@code inner_hits}) of a field inside a {@code nested} object.
 */
public abstract class TextEmbeddingQueryBuilder<Q extends TextEmbeddingQueryBuilder<Q>> extends AbstractQueryBuilder<Q> {
  private final QueryVectorSource vectors;
  protected final String field;
  protected final String queryText;
  protected String model;
  protected String prefix;
  protected InnerHitBuilder innerHits;
  /** The embedded text: set by the coordinating node's rewrite, then sent to the shards. */
  protected float[] vector;
  /** Between registering the embedding and its completion, on the coordinating node only. */
  private Supplier<float[]> pendingVector;

  protected TextEmbeddingQueryBuilder(String name, String field, String queryText, QueryVectorSource vectors) {
    if (field == null || field.isEmpty()) {
      throw new IllegalArgumentException("[" + name + "] requires [field]");
    }
    if (queryText == null || queryText.isBlank()) {
      throw new IllegalArgumentException("[" + name + "] requires a non-blank [query_text]");
    }
    this.field = field;
    this.queryText = queryText;
    this.vectors = vectors;
  }

  protected TextEmbeddingQueryBuilder(StreamInput in, QueryVectorSource vectors) throws IOException {
    super(in);
    this.vectors = vectors;
    field = in.readString();
    queryText = in.readString();
    model = in.readOptionalString();
    prefix = in.readOptionalString();
    innerHits = in.readOptionalWriteable(InnerHitBuilder::new);
    vector = in.readBoolean() ? in.readFloatArray() : null;
  }

  @Override
  protected final void doWriteTo(StreamOutput out) throws IOException {
    out.writeString(field);
    out.writeString(queryText);
    out.writeOptionalString(model);
    out.writeOptionalString(prefix);
    out.writeOptionalWriteable(innerHits);
    out.writeBoolean(vector != null);
    if (vector != null) {
      out.writeFloatArray(vector);
    }
    writeOwnFields(out);
  }

  /** Writes the subclass's own fields, after the shared ones (its stream constructor reads them back). */
  protected abstract void writeOwnFields(StreamOutput out) throws IOException;

  /** A copy of this query with {@code vector} as its embedded text. */
  protected abstract Q withVector(float[] vector);

  /** On a shard, with the vector known: the query that runs. */
  protected abstract QueryBuilder shardQuery(QueryShardContext shard);

  @SuppressWarnings("unchecked")
  private Q self() {
    return (Q) this;
  }

  public Q model(String model) {
    this.model = model;
    return self();
  }

  public Q prefix(String prefix) {
    this.prefix = prefix;
    return self();
  }

  public Q innerHit(InnerHitBuilder innerHits) {
    this.innerHits = innerHits;
    return self();
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
  protected final QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
    QueryShardContext shard = context.convertToShardContext();
    if (vector != null) {
      return shard == null ? this : shardQuery(shard);
    }
    if (pendingVector != null) {
      float[] v = pendingVector.get();
      return v == null ? this : withVector(v);
    }
    SetOnce<float[]> embedded = new SetOnce<>();
    QueryCoordinatorContext coordinator = context.convertToCoordinatorContext();
    String[] indices = coordinator == null ? null : coordinator.getSearchRequest().indices();
    context.registerAsyncAction((client, listener) -> vectors.embed(field, model, queryText, prefix, indices,
        ActionListener.wrap(v -> {
          embedded.set(v);
          listener.onResponse(null);
        }, listener::onFailure)));
    Q pending = withVector(null);
    ((TextEmbeddingQueryBuilder<?>) pending).pendingVector = embedded::get;
    return pending;
  }

  /** The vector source, for copies. */
  protected final QueryVectorSource vectors() {
    return vectors;
  }

  /** Copies the shared settings and {@code vector} onto {@code copy}. */
  protected final Q copyShared(Q copy, float[] vector) {
    TextEmbeddingQueryBuilder<?> c = copy;
    c.model = model;
    c.prefix = prefix;
    c.innerHits = innerHits;
    c.vector = vector;
    return copy.boost(boost()).queryName(queryName());
  }

  /** The nested object holding {@code name}, or {@code null}; more than one nested level is refused. */
  protected final String nestedPath(String name, QueryShardContext shard) {
    String path = null;
    for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
      ObjectMapper parent = shard.getObjectMapper(name.substring(0, dot));
      if (parent != null && parent.nested().isNested()) {
        if (path != null) {
          throw new IllegalArgumentException("[" + getWriteableName() + "] field [" + name + "] is inside more than "
              + "one nested level ([" + name.substring(0, dot) + "] and [" + path + "]); only one is supported");
        }
        path = name.substring(0, dot);
      }
    }
    return path;
  }

  /**
   * {@code perPassage} as the query that runs: itself for a field outside nested objects, else a {@code nested}
   * query that scores each document by its best passage and returns the passages as inner hits when asked.
   * {@code inner_hits} for a field outside nested objects is refused: there are no passages to return.
   */
  protected final QueryBuilder overPassages(QueryBuilder perPassage, String path) {
    if (path == null) {
      if (innerHits != null) {
        throw new IllegalArgumentException("[" + getWriteableName() + "] [inner_hits] needs [field] inside a nested "
            + "field, but [" + field + "] is not");
      }
      return perPassage;
    }
    NestedQueryBuilder nested = new NestedQueryBuilder(path, perPassage, ScoreMode.Max);
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

  /** Writes {@code field}, {@code query_text}, {@code model} and {@code prefix} into the query's object. */
  protected final void sharedXContent(XContentBuilder b) throws IOException {
    b.field("field", field);
    b.field("query_text", queryText);
    if (model != null) {
      b.field("model", model);
    }
    if (prefix != null) {
      b.field("prefix", prefix);
    }
  }

  /** Writes {@code inner_hits}, boost and name, which close the query's object. */
  protected final void closingXContent(XContentBuilder b, ToXContent.Params params) throws IOException {
    if (innerHits != null) {
      b.field("inner_hits", innerHits, params);
    }
    printBoostAndQueryName(b);
  }

  /** What every text-embedding query's body holds, as its parser reads it; each query parses its own fields. */
  protected static final class SharedFields {
    private String field;
    private String queryText;
    private String model;
    private String prefix;
    private InnerHitBuilder innerHits;
    private float boost = DEFAULT_BOOST;
    private String name;

    /** Reads the value of {@code current} when it is one of the shared fields; says whether it was. */
    public boolean read(String current, XContentParser p, XContentParser.Token t) throws IOException {
      if (t == XContentParser.Token.START_OBJECT && "inner_hits".equals(current)) {
        innerHits = InnerHitBuilder.fromXContent(p);
        return true;
      }
      if (!t.isValue() && t != XContentParser.Token.VALUE_NULL) {
        return false;
      }
      switch (current) {
        case "field" -> field = p.text();
        case "query_text" -> queryText = p.text();
        case "model" -> model = p.textOrNull();
        case "prefix" -> prefix = p.textOrNull();
        case "boost" -> boost = p.floatValue();
        case "_name" -> name = p.text();
        default -> {
          return false;
        }
      }
      return true;
    }

    public String field() {
      return field;
    }

    public String queryText() {
      return queryText;
    }

    /** {@code q} with the shared settings read. */
    public <Q extends TextEmbeddingQueryBuilder<Q>> Q applyTo(Q q) {
      return q.model(model).prefix(prefix).innerHit(innerHits).boost(boost).queryName(name);
    }
  }

  /** A parser's refusal of a field it does not know, or of a value of the wrong kind. */
  static ParsingException unsupported(XContentParser p, String query, String field, XContentParser.Token t) {
    return new ParsingException(p.getTokenLocation(), "[" + query + "] does not support [" + field + "]"
        + (t.isValue() || t == XContentParser.Token.VALUE_NULL ? "" : " as " + t));
  }

  protected final boolean sharedEquals(TextEmbeddingQueryBuilder<?> o) {
    return field.equals(o.field) && queryText.equals(o.queryText) && Objects.equals(model, o.model)
        && Objects.equals(prefix, o.prefix) && Objects.equals(innerHits, o.innerHits) && Arrays.equals(vector, o.vector);
  }

  protected final int sharedHashCode() {
    return Objects.hash(field, queryText, model, prefix, innerHits, Arrays.hashCode(vector));
  }
}
