package dev.modernbert.elasticsearch.query;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;

import dev.modernbert.inference.query.QueryEmbedder;
import dev.modernbert.inference.query.QueryVectorCache;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.testing.TestModels;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.search.Query;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.compress.CompressedXContent;
import org.elasticsearch.index.mapper.MapperService;
import org.elasticsearch.index.query.InnerHitBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.index.query.TermQueryBuilder;
import org.elasticsearch.index.search.ESToParentBlockJoinQuery;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.SearchPlugin;
import org.elasticsearch.test.AbstractQueryTestCase;
import org.junit.BeforeClass;

/**
 * {@code modernbert_knn} on Elasticsearch's query test harness: random queries round-trip through JSON and the
 * wire; the rewrite embeds the text with a real (random-weight) model and produces Elasticsearch's knn query —
 * inside a nested query, parents scored by their best passage, for a field inside a nested object.
 */
public class ModernBertKnnQueryBuilderTests extends AbstractQueryTestCase<ModernBertKnnQueryBuilder> {
  private static final String NESTED_FIELD = "chunks.embedding";
  private static final String FLAT_FIELD = "doc_vector";
  private static QueryEmbedder embedder;
  private static int dimension;
  /** Embeds with the real engine; the tests name the model (the default model needs a cluster's pipelines). */
  private static final QueryVectors VECTORS = new QueryVectors(() -> null, () -> embedder);

  /** Registers the query as the plugin does, over {@link #VECTORS}. */
  public static final class QueryPlugin extends Plugin implements SearchPlugin {
    @Override
    public List<QuerySpec<?>> getQueries() {
      return List.of(new QuerySpec<>(ModernBertKnnQueryBuilder.NAME, in -> new ModernBertKnnQueryBuilder(in, VECTORS),
          p -> ModernBertKnnQueryBuilder.fromXContent(p, VECTORS)));
    }
  }

  @BeforeClass
  public static void randomModel() throws IOException {
    InferenceServices services = TestModels.services(createTempDir(), Runnable::run, 1_000_000);
    dimension = services.registry().describe(TestModels.MODEL).hiddenSize();
    embedder = new QueryEmbedder(services, new QueryVectorCache(100));
  }

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(QueryPlugin.class);
  }

  @Override
  protected void initializeAdditionalMappings(MapperService mapperService) throws IOException {
    String vector = "{\"type\":\"dense_vector\",\"dims\":" + dimension + ",\"index\":true,\"similarity\":\"cosine\","
        + "\"index_options\":{\"type\":\"hnsw\"}}";
    mapperService.merge("_doc", new CompressedXContent("{\"properties\":{\"chunks\":{\"type\":\"nested\","
        + "\"properties\":{\"text\":{\"type\":\"text\"},\"embedding\":" + vector + "}},\"" + FLAT_FIELD + "\":" + vector
        + "}}"), MapperService.MergeReason.MAPPING_UPDATE);
  }

  @Override
  protected ModernBertKnnQueryBuilder doCreateTestQueryBuilder() {
    boolean nested = randomBoolean();
    ModernBertKnnQueryBuilder q = new ModernBertKnnQueryBuilder(nested ? NESTED_FIELD : FLAT_FIELD,
        randomFrom("瑠璃色はどんな色？", "東京の人口", "川の長さは") + randomAlphaOfLengthBetween(0, 8), VECTORS)
        .model(TestModels.MODEL);
    int k = randomIntBetween(1, 100);
    if (randomBoolean()) {
      q.k(k);
    }
    if (randomBoolean()) {
      q.numCandidates(randomIntBetween(Math.max(k, ModernBertKnnQueryBuilder.DEFAULT_K), 1000));
    }
    if (randomBoolean()) {
      q.knnFilter(new TermQueryBuilder(KEYWORD_FIELD_NAME, randomAlphaOfLength(5)));
    }
    if (randomBoolean()) {
      q.prefix(randomFrom("", "検索クエリ: "));
    }
    if (nested && randomBoolean()) {
      q.innerHit(new InnerHitBuilder().setSize(randomIntBetween(1, 5)));
    }
    return q;
  }

  /** The knn filter is the query's inner query: the harness checks the parser's nesting limit through it. */
  @Override
  protected ModernBertKnnQueryBuilder createQueryWithInnerQuery(QueryBuilder inner) {
    return new ModernBertKnnQueryBuilder(FLAT_FIELD, "質問", VECTORS).model(TestModels.MODEL).knnFilter(inner);
  }

  @Override
  protected void doAssertLuceneQuery(ModernBertKnnQueryBuilder builder, Query query, SearchExecutionContext context) {
    if (builder.fieldName().equals(NESTED_FIELD)) {
      assertThat(query, instanceOf(ESToParentBlockJoinQuery.class));
    } else {
      assertThat(query.getClass().getName(), containsString("Knn"));
    }
  }

  /** Without its rewrite (which embeds the text) the query cannot run. */
  @Override
  public void testMustRewrite() throws IOException {
    SearchExecutionContext context = createSearchExecutionContext();
    IllegalStateException e = expectThrows(IllegalStateException.class, () -> createTestQueryBuilder().toQuery(context));
    assertThat(e.getMessage(), containsString("must be rewritten"));
  }

  public void testRewriteEmbedsTheTextWithTheModelsQueryPrefix() throws Exception {
    ModernBertKnnQueryBuilder q = new ModernBertKnnQueryBuilder(FLAT_FIELD, "瑠璃色はどんな色？", VECTORS)
        .model(TestModels.MODEL);
    // a coordinating node's context: no shard, so the rewrite stops at the embedded vector
    QueryBuilder rewritten = rewriteAndFetch(q, new QueryRewriteContext(parserConfig(), null, () -> 0L));
    assertThat(rewritten, instanceOf(ModernBertKnnQueryBuilder.class));
    float[] v = ((ModernBertKnnQueryBuilder) rewritten).vector();
    assertArrayEquals(embedder.embed(TestModels.MODEL, "瑠璃色はどんな色？", "検索クエリ: ").get(), v, 0f);
    assertEquals(dimension, v.length);
    ModernBertKnnQueryBuilder copy = (ModernBertKnnQueryBuilder) assertSerialization(rewritten);
    assertArrayEquals("the vector travels to the shards", v, copy.vector(), 0f);
  }

  public void testBadQueriesAreRefusedWithTheFieldNamed() {
    assertThat(expectThrows(ParsingException.class, () -> parseQuery(
        "{\"modernbert_knn\":{\"field\":\"" + FLAT_FIELD + "\",\"query_text\":\"質問\",\"kk\":3}}")).getMessage(),
        containsString("[kk]"));
    assertThat(expectThrows(ParsingException.class, () -> parseQuery(
        "{\"modernbert_knn\":{\"field\":\"" + FLAT_FIELD + "\"}}")).getMessage(), containsString("query_text"));
    assertThat(expectThrows(ParsingException.class, () -> parseQuery(
        "{\"modernbert_knn\":{\"field\":\"" + FLAT_FIELD + "\",\"query_text\":\"質問\",\"k\":0}}")).getMessage(),
        containsString("[k]"));
    assertThat(expectThrows(ParsingException.class, () -> parseQuery("{\"modernbert_knn\":{\"field\":\"" + FLAT_FIELD
        + "\",\"query_text\":\"質問\",\"num_candidates\":20000}}")).getMessage(), containsString("[num_candidates]"));
    ModernBertKnnQueryBuilder passagesWithoutNested = new ModernBertKnnQueryBuilder(FLAT_FIELD, "質問", VECTORS)
        .model(TestModels.MODEL).innerHit(new InnerHitBuilder());
    assertThat(expectThrows(IllegalArgumentException.class,
        () -> rewriteAndFetch(passagesWithoutNested, createSearchExecutionContext())).getMessage(),
        containsString("nested"));
    ModernBertKnnQueryBuilder textField = new ModernBertKnnQueryBuilder(TEXT_FIELD_NAME, "質問", VECTORS)
        .model(TestModels.MODEL);
    assertThat(expectThrows(IllegalArgumentException.class,
        () -> rewriteAndFetch(textField, createSearchExecutionContext())).getMessage(),
        containsString("must be a dense_vector field"));
  }
}
