package dev.modernbert.plugin.search;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;

import dev.modernbert.knn.query.ModernBertKnnQueryBuilder;
import org.apache.lucene.search.Query;
import org.opensearch.common.lucene.search.function.FunctionScoreQuery;
import org.opensearch.core.common.ParsingException;
import org.opensearch.index.query.BaseQueryRewriteContext;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.TermQueryBuilder;
import org.opensearch.index.search.OpenSearchToParentBlockJoinQuery;

/**
 * {@code modernbert_knn} on OpenSearch's query test harness: random queries round-trip through JSON and the wire,
 * rewrite embeds the text with a real (random-weight) model and produces the k-NN query — nested, parent-scored
 * by the best chunk, for a field inside a nested object.
 */
public class ModernBertKnnQueryBuilderTests extends TextEmbeddingQueryTestCase<ModernBertKnnQueryBuilder> {
  @Override
  protected ModernBertKnnQueryBuilder doCreateTestQueryBuilder() {
    boolean nested = randomBoolean();
    ModernBertKnnQueryBuilder q = new ModernBertKnnQueryBuilder(nested ? NESTED_FIELD : FLAT_FIELD,
        randomFrom("瑠璃色はどんな色？", "東京の人口", "川の長さは") + randomAlphaOfLengthBetween(0, 8), VECTORS);
    if (randomBoolean()) {
      q.model("m");
    }
    if (randomBoolean()) {
      q.k(randomIntBetween(1, 100));
    }
    if (randomBoolean()) {
      q.knnFilter(new TermQueryBuilder(KEYWORD_FIELD_NAME, randomAlphaOfLength(5)));
    }
    if (randomBoolean()) {
      q.minScore(randomFloat());
    }
    if (randomBoolean()) {
      q.prefix(randomFrom("", "検索クエリ: "));
    }
    if (nested && randomBoolean()) {
      q.innerHit(new InnerHitBuilder().setSize(randomIntBetween(1, 5)));
    }
    return q;
  }

  @Override
  protected void doAssertLuceneQuery(ModernBertKnnQueryBuilder builder, Query query, QueryShardContext context) {
    if (builder.fieldName().equals(NESTED_FIELD)) {
      assertThat(query, instanceOf(OpenSearchToParentBlockJoinQuery.class));
    } else if (builder.toString().contains("\"min_score\"")) {
      assertThat(query, instanceOf(FunctionScoreQuery.class));
    } else {
      assertThat(query.getClass().getName(), containsString("org.opensearch.knn"));
    }
  }

  public void testRewriteEmbedsTheTextWithTheModelsQueryPrefix() throws Exception {
    ModernBertKnnQueryBuilder q = new ModernBertKnnQueryBuilder(FLAT_FIELD, "瑠璃色はどんな色？", VECTORS).model("m");
    // a coordinating node's context: no shard, so the rewrite stops at the embedded vector
    QueryBuilder rewritten = rewriteAndFetch(q, new BaseQueryRewriteContext(xContentRegistry(), namedWriteableRegistry(),
        null, () -> 0L));
    assertThat(rewritten, instanceOf(ModernBertKnnQueryBuilder.class));
    float[] v = ((ModernBertKnnQueryBuilder) rewritten).vector();
    assertArrayEquals(embedder.embed("m", "瑠璃色はどんな色？", "検索クエリ: ").get(), v, 0f);
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
    ModernBertKnnQueryBuilder passagesWithoutNested = new ModernBertKnnQueryBuilder(FLAT_FIELD, "質問", VECTORS)
        .innerHit(new InnerHitBuilder());
    assertThat(expectThrows(IllegalArgumentException.class,
        () -> rewriteAndFetch(passagesWithoutNested, createShardContext())).getMessage(), containsString("nested"));
    ModernBertKnnQueryBuilder textField = new ModernBertKnnQueryBuilder(TEXT_FIELD_NAME, "質問", VECTORS);
    assertThat(expectThrows(IllegalArgumentException.class,
        () -> rewriteAndFetch(textField, createShardContext())).getMessage(), containsString("not a knn_vector"));
  }
}
