package dev.modernbert.plugin.search;

import static org.hamcrest.Matchers.containsString;

import dev.modernbert.inference.query.QueryEmbedder;
import dev.modernbert.inference.query.QueryVectorCache;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.testing.TestModels;
import dev.modernbert.knn.query.ModernBertHybridQueryBuilder;
import dev.modernbert.knn.query.ModernBertKnnQueryBuilder;
import dev.modernbert.knn.query.QueryVectorSource;
import dev.modernbert.knn.query.RankFusionQueryBuilder;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.opensearch.Version;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.compress.CompressedXContent;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.mapper.MapperService;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.knn.index.KNNSettings;
import org.opensearch.knn.indices.ModelDao;
import org.opensearch.knn.plugin.KNNPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.test.AbstractQueryTestCase;
import org.opensearch.test.ClusterServiceUtils;
import org.opensearch.test.TestGeoShapeFieldMapperPlugin;
import org.opensearch.threadpool.TestThreadPool;
import org.opensearch.threadpool.ThreadPool;

/**
 * What the query tests of the text-embedding queries share: k-NN's node services, an index whose passages are a
 * nested object with a lucene-engine vector and a text, and a real (random-weight) model that embeds the text.
 */
public abstract class TextEmbeddingQueryTestCase<Q extends AbstractQueryBuilder<Q>> extends AbstractQueryTestCase<Q> {
  static final String NESTED_FIELD = "chunks.embedding";
  static final String FLAT_FIELD = "doc_vector";
  static QueryEmbedder embedder;
  static int dimension;

  /** Embeds with the real engine; a query without model uses the one model there is. */
  static final QueryVectorSource VECTORS = (field, model, text, prefix, indices, listener) ->
      embedder.embed(model == null ? TestModels.MODEL : model, text, prefix).whenComplete((v, e) -> {
        if (e == null) {
          listener.onResponse(v);
        } else {
          listener.onFailure((Exception) e);
        }
      });

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

  private static ThreadPool threadPool;
  private static ClusterService clusterService;

  /** What KNNPlugin.createComponents sets up on a node: its settings, read by its mapper and query. */
  @BeforeClass
  public static void knnServices() {
    threadPool = new TestThreadPool("knn");
    Set<Setting<?>> settings = new HashSet<>(ClusterSettings.BUILT_IN_CLUSTER_SETTINGS);
    new KNNPlugin().getSettings().stream().filter(Setting::hasNodeScope).forEach(settings::add);
    clusterService = ClusterServiceUtils.createClusterService(threadPool,
        new DiscoveryNode("node", buildNewFakeTransportAddress(), Version.CURRENT),
        new ClusterSettings(Settings.EMPTY, settings));
    ModelDao.OpenSearchKNNModelDao.initialize(null, clusterService, Settings.EMPTY);
    KNNSettings.state().setClusterService(clusterService);
  }

  /** The test index in the cluster state: k-NN reads its settings when it builds a query. */
  @Before
  public void indexInClusterState() {
    IndexMetadata index = IndexMetadata.builder(getIndex().getName()).settings(Settings.builder()
        .put(indexSettings().getSettings()).put(IndexMetadata.SETTING_NUMBER_OF_SHARDS, 1)
        .put(IndexMetadata.SETTING_NUMBER_OF_REPLICAS, 0)).build();
    ClusterServiceUtils.setState(clusterService, ClusterState.builder(clusterService.state())
        .metadata(Metadata.builder().put(index, false)));
  }

  @AfterClass
  public static void stopKnnServices() {
    clusterService.close();
    ThreadPool.terminate(threadPool, 10, TimeUnit.SECONDS);
  }

  @BeforeClass
  public static void randomModel() throws IOException {
    InferenceServices services = TestModels.services(createTempDir(), Runnable::run, 1_000_000);
    dimension = services.registry().describe(TestModels.MODEL).hiddenSize();
    embedder = new QueryEmbedder(services, new QueryVectorCache(100));
  }

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(QueryPlugin.class, KNNPlugin.class, TestGeoShapeFieldMapperPlugin.class);
  }

  @Override
  protected Settings createTestIndexSettings() {
    return Settings.builder().put(super.createTestIndexSettings()).put("index.knn", true).build();
  }

  @Override
  protected void initializeAdditionalMappings(MapperService mapperService) throws IOException {
    String vector = "{\"type\":\"knn_vector\",\"dimension\":" + dimension
        + ",\"method\":{\"name\":\"hnsw\",\"engine\":\"lucene\",\"space_type\":\"cosinesimil\"}}";
    mapperService.merge("_doc", new CompressedXContent("{\"properties\":{\"chunks\":{\"type\":\"nested\","
        + "\"properties\":{\"text\":{\"type\":\"text\"},\"embedding\":" + vector + "}},\"" + FLAT_FIELD + "\":" + vector
        + "}}"), MapperService.MergeReason.MAPPING_UPDATE);
  }

  /** Without its rewrite (which embeds the text) the query cannot run. */
  @Override
  public void testMustRewrite() throws IOException {
    QueryShardContext context = createShardContext();
    IllegalStateException e = expectThrows(IllegalStateException.class, () -> createTestQueryBuilder().toQuery(context));
    assertThat(e.getMessage(), containsString("must be rewritten"));
  }
}
