package dev.modernbert.elasticsearch.query;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;

import dev.modernbert.fusion.RankFusion;
import dev.modernbert.fusion.ReciprocalRankFusionQuery;
import dev.modernbert.inference.testing.TestModels;
import org.apache.lucene.search.Query;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.index.query.InnerHitBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.index.search.ESToParentBlockJoinQuery;

/**
 * {@code modernbert_hybrid} on Elasticsearch's query test harness: random queries round-trip through JSON and the
 * wire, the rewrite embeds the text with a real (random-weight) model, and on a shard the query becomes the rank
 * fusion of the passages' knn and BM25 rankings — inside the nested query of the passages, or over documents.
 */
public class ModernBertHybridQueryBuilderTests extends TextEmbeddingQueryTestCase<ModernBertHybridQueryBuilder> {
  @Override
  protected ModernBertHybridQueryBuilder doCreateTestQueryBuilder() {
    boolean nested = randomBoolean();
    ModernBertHybridQueryBuilder q = new ModernBertHybridQueryBuilder(nested ? NESTED_FIELD : FLAT_FIELD,
        randomFrom("瑠璃色はどんな色？", "東京の人口", "川の長さは") + randomAlphaOfLengthBetween(0, 8), VECTORS)
        .model(TestModels.MODEL);
    if (!nested || randomBoolean()) {
      q.textField(nested ? "chunks.text" : TEXT_FIELD_NAME);
    }
    if (randomBoolean()) {
      q.prefix(randomFrom("", "検索クエリ: "));
    }
    if (randomBoolean()) {
      q.fusion(new RankFusion(randomIntBetween(1, 500), randomIntBetween(1, 500), randomIntBetween(1, 100),
          randomFrom(0f, 0.5f, 1f), randomFrom(0.5f, 1f, 2f)));
    }
    if (nested && randomBoolean()) {
      q.innerHit(new InnerHitBuilder().setSize(randomIntBetween(1, 5)));
    }
    return q;
  }

  @Override
  protected void doAssertLuceneQuery(ModernBertHybridQueryBuilder builder, Query query, SearchExecutionContext context) {
    if (builder.fieldName().equals(NESTED_FIELD)) {
      assertThat(query, instanceOf(ESToParentBlockJoinQuery.class));
      assertThat(query.toString(), containsString("RRF("));
    } else {
      assertThat(query, instanceOf(ReciprocalRankFusionQuery.class));
    }
  }

  public void testRewriteEmbedsTheTextWithTheModelsQueryPrefix() throws Exception {
    ModernBertHybridQueryBuilder q = new ModernBertHybridQueryBuilder(NESTED_FIELD, "瑠璃色はどんな色？", VECTORS)
        .model(TestModels.MODEL);
    // a coordinating node's context: no shard, so the rewrite stops at the embedded vector
    QueryBuilder rewritten = rewriteAndFetch(q, new QueryRewriteContext(parserConfig(), null, () -> 0L));
    assertThat(rewritten, instanceOf(ModernBertHybridQueryBuilder.class));
    float[] v = ((ModernBertHybridQueryBuilder) rewritten).vector();
    assertArrayEquals(embedder.embed(TestModels.MODEL, "瑠璃色はどんな色？", "検索クエリ: ").get(), v, 0f);
    ModernBertHybridQueryBuilder copy = (ModernBertHybridQueryBuilder) assertSerialization(rewritten);
    assertArrayEquals("the vector travels to the shards", v, copy.vector(), 0f);
  }

  /** On a shard the query becomes the passages' rank fusion, which crosses the wire and JSON as a query of its own. */
  public void testTheShardsRankFusionRoundTrips() throws Exception {
    ModernBertHybridQueryBuilder q = new ModernBertHybridQueryBuilder(NESTED_FIELD, "瑠璃色", VECTORS)
        .model(TestModels.MODEL).fusion(new RankFusion(30, 40, 5, 0.5f, 2f));
    QueryBuilder onShard = rewriteAndFetch(rewriteAndFetch(q, new QueryRewriteContext(parserConfig(), null,
        () -> 0L)), createSearchExecutionContext());
    assertThat(onShard.toString(), containsString("\"modernbert_rank_fusion\""));
    assertThat(onShard.toString(), containsString("\"bm25_depth\" : 40"));
    assertEquals(onShard, assertSerialization(onShard));
    assertEquals(onShard, parseQuery(onShard.toString()));
  }

  private void assertRefused(String params, String named) {
    ParsingException e = expectThrows(ParsingException.class, () -> parseQuery("{\"modernbert_hybrid\":{\"field\":\""
        + NESTED_FIELD + "\",\"query_text\":\"質問\"" + params + "}}"));
    assertThat(e.getMessage(), containsString(named));
  }

  public void testBadParametersAreRefusedWithTheirNames() {
    assertRefused(",\"knn_depth\":0", "[knn_depth]");
    assertRefused(",\"bm25_depth\":10001", "[bm25_depth]");
    assertRefused(",\"rank_constant\":0", "[rank_constant]");
    assertRefused(",\"knn_weight\":-1", "[knn_weight]");
    assertRefused(",\"knn_weight\":0,\"bm25_weight\":0", "both 0");
    assertRefused(",\"knn_depth\":\"many\"", "[knn_depth] must be a number");
    assertRefused(",\"bm25_depth\":10.5", "[bm25_depth] must be a whole number");
    assertRefused(",\"k\":10", "[k]");
    expectThrows(ParsingException.class, () -> parseQuery("{\"modernbert_hybrid\":{\"field\":\"" + NESTED_FIELD
        + "\"}}"));
  }

  private String refusedOnTheShard(ModernBertHybridQueryBuilder q) {
    return expectThrows(IllegalArgumentException.class, () -> rewriteAndFetch(q.model(TestModels.MODEL),
        createSearchExecutionContext())).getMessage();
  }

  public void testFieldsThatCannotBeRankedTogetherAreRefused() {
    assertThat(refusedOnTheShard(new ModernBertHybridQueryBuilder(FLAT_FIELD, "質問", VECTORS)),
        containsString("needs [text_field]"));
    assertThat(refusedOnTheShard(new ModernBertHybridQueryBuilder(NESTED_FIELD, "質問", VECTORS)
        .textField(KEYWORD_FIELD_NAME)), containsString("must be a text field"));
    assertThat(refusedOnTheShard(new ModernBertHybridQueryBuilder(NESTED_FIELD, "質問", VECTORS)
        .textField(TEXT_FIELD_NAME)), containsString("must be inside [chunks]"));
    assertThat(refusedOnTheShard(new ModernBertHybridQueryBuilder(FLAT_FIELD, "質問", VECTORS)
        .textField("chunks.text")), containsString("must be outside nested fields"));
    assertThat(refusedOnTheShard(new ModernBertHybridQueryBuilder(FLAT_FIELD, "質問", VECTORS)
        .textField(TEXT_FIELD_NAME).innerHit(new InnerHitBuilder())), containsString("nested"));
    assertThat(refusedOnTheShard(new ModernBertHybridQueryBuilder(TEXT_FIELD_NAME, "質問", VECTORS)
        .textField(TEXT_FIELD_NAME)), containsString("must be a dense_vector field"));
  }
}
