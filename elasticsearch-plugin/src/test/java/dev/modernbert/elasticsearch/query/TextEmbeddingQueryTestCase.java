package dev.modernbert.elasticsearch.query;

import static org.hamcrest.Matchers.containsString;

import dev.modernbert.inference.query.QueryEmbedder;
import dev.modernbert.inference.query.QueryVectorCache;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.testing.TestModels;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.elasticsearch.common.compress.CompressedXContent;
import org.elasticsearch.index.mapper.MapperService;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.SearchPlugin;
import org.elasticsearch.test.AbstractQueryTestCase;
import org.junit.BeforeClass;

/**
 * What the query tests of the text-embedding queries share: the queries registered as the plugin registers them,
 * an index whose passages are a nested object with a {@code dense_vector} and a text, and a real (random-weight)
 * model that embeds the text.
 */
public abstract class TextEmbeddingQueryTestCase<Q extends AbstractQueryBuilder<Q>> extends AbstractQueryTestCase<Q> {
  static final String NESTED_FIELD = "chunks.embedding";
  static final String FLAT_FIELD = "doc_vector";
  static QueryEmbedder embedder;
  static int dimension;
  /** Embeds with the real engine; the tests name the model (the default model needs a cluster's pipelines). */
  static final QueryVectors VECTORS = new QueryVectors(() -> null, () -> embedder);

  /** Registers the queries as the plugin does, over {@link #VECTORS}. */
  public static final class QueryPlugin extends Plugin implements SearchPlugin {
    @Override
    public List<QuerySpec<?>> getQueries() {
      return List.of(new QuerySpec<>(ModernBertKnnQueryBuilder.NAME, in -> new ModernBertKnnQueryBuilder(in, VECTORS),
          p -> ModernBertKnnQueryBuilder.fromXContent(p, VECTORS)),
          new QuerySpec<>(ModernBertHybridQueryBuilder.NAME, in -> new ModernBertHybridQueryBuilder(in, VECTORS),
              p -> ModernBertHybridQueryBuilder.fromXContent(p, VECTORS)),
          new QuerySpec<>(RankFusionQueryBuilder.NAME, RankFusionQueryBuilder::new,
              RankFusionQueryBuilder::fromXContent));
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

  /** Without its rewrite (which embeds the text) the query cannot run. */
  @Override
  public void testMustRewrite() throws IOException {
    SearchExecutionContext context = createSearchExecutionContext();
    IllegalStateException e = expectThrows(IllegalStateException.class, () -> createTestQueryBuilder().toQuery(context));
    assertThat(e.getMessage(), containsString("must be rewritten"));
  }
}
