package dev.modernbert.elasticsearch.query;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;

import dev.modernbert.inference.testing.TestModels;
import java.io.IOException;
import org.apache.lucene.search.Query;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.index.query.InnerHitBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.index.query.TermQueryBuilder;
import org.elasticsearch.index.search.ESToParentBlockJoinQuery;

/**
 * {@code modernbert_knn} on Elasticsearch's query test harness: random queries round-trip through JSON and the
 * wire; the rewrite embeds the text with a real (random-weight) model and produces Elasticsearch's knn query —
 * inside a nested query, parents scored by their best passage, for a field inside a nested object.
 */
public class ModernBertKnnQueryBuilderTests extends TextEmbeddingQueryTestCase<ModernBertKnnQueryBuilder> {
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
