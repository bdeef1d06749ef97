package dev.modernbert.elasticsearch;

import dev.modernbert.elasticsearch.analysis.JapaneseAnalysis;
import dev.modernbert.elasticsearch.ingest.EmbeddingProcessorFactory;
import dev.modernbert.elasticsearch.nodes.ModelDownloadAction;
import dev.modernbert.elasticsearch.nodes.NodeReportAction;
import dev.modernbert.elasticsearch.nodes.TransportModelDownloadAction;
import dev.modernbert.elasticsearch.nodes.TransportNodeReportAction;
import dev.modernbert.elasticsearch.query.ModernBertHybridQueryBuilder;
import dev.modernbert.elasticsearch.query.ModernBertKnnQueryBuilder;
import dev.modernbert.elasticsearch.query.QueryVectors;
import dev.modernbert.elasticsearch.query.RankFusionQueryBuilder;
import dev.modernbert.elasticsearch.rest.RestEmbedAction;
import dev.modernbert.elasticsearch.rest.RestMappingAction;
import dev.modernbert.elasticsearch.rest.RestModelDownloadAction;
import dev.modernbert.elasticsearch.rest.RestNodeReportAction;
import dev.modernbert.elasticsearch.settings.ModernBertSettings;
import dev.modernbert.elasticsearch.settings.NodePaths;
import dev.modernbert.elasticsearch.settings.PluginThreadPools;
import dev.modernbert.inference.documents.EmbeddingProcessorConfig;
import dev.modernbert.inference.query.QueryEmbedder;
import dev.modernbert.inference.query.QueryVectorCache;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.ModelRegistry;
import dev.modernbert.inference.runtime.NativeLibraries;
import dev.modernbert.inference.stats.InferenceStats;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.ingest.Processor;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.IngestPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.SearchPlugin;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.threadpool.ExecutorBuilder;
import org.elasticsearch.threadpool.ThreadPool;

/**
 * ModernBERT-Ja semantic search for Elasticsearch: the {@code modernbert_embedding} ingest processor, the
 * {@code modernbert_knn} query, the {@code modernbert_ja} analyzer, the REST endpoints under
 * {@code /_plugins/_modernbert}, and a node-local model registry over {@code <config>/modernbert/models/<name>/}.
 * Inference runs on the plugin's own thread pools: one for ingest and {@code _embed}, one for query texts.
 */
public final class ModernBertPlugin extends Plugin implements IngestPlugin, ActionPlugin, SearchPlugin,
    AnalysisPlugin {
  private final Settings settings;
  private final SetOnce<ModelRegistry> registry = new SetOnce<>();
  private final SetOnce<InferenceServices> services = new SetOnce<>();
  private final SetOnce<QueryEmbedder> queryEmbedder = new SetOnce<>();
  private final SetOnce<ClusterService> clusterService = new SetOnce<>();

  public ModernBertPlugin(Settings settings) {
    this.settings = settings;
    NativeLibraries.prepare();
  }

  @Override
  public List<Setting<?>> getSettings() {
    return ModernBertSettings.all();
  }

  @Override
  public List<ExecutorBuilder<?>> getExecutorBuilders(Settings settings) {
    return PluginThreadPools.builders(settings);
  }

  private ModelRegistry registry(Environment env) {
    if (registry.get() == null) {
      registry.set(new ModelRegistry(List.of(NodePaths.modelsDir(env), NodePaths.downloadedModelsDir(env)),
          ModernBertSettings.engine(settings).withCacheDir(NodePaths.compiledGraphsDir(env))));
    }
    return registry.get();
  }

  @Override
  public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
    return Map.of(EmbeddingProcessorConfig.TYPE,
        new EmbeddingProcessorFactory(registry(parameters.env), services::get, clusterService::get));
  }

  @Override
  public Collection<?> createComponents(PluginServices node) {
    ThreadPool threadPool = node.threadPool();
    InferenceQueue queue = new InferenceQueue(
        NativeLibraries.withPluginClassLoader(threadPool.executor(PluginThreadPools.INFERENCE)),
        NativeLibraries.withPluginClassLoader(threadPool.executor(PluginThreadPools.QUERY)),
        ModernBertSettings.QUEUE_MAX_TOKENS.get(settings));
    QueryVectorCache cache = new QueryVectorCache(ModernBertSettings.QUERY_CACHE_SIZE.get(settings));
    ClusterSettings dynamic = node.clusterService().getClusterSettings();
    dynamic.addSettingsUpdateConsumer(ModernBertSettings.QUEUE_MAX_TOKENS, queue::setMaxTokens);
    dynamic.addSettingsUpdateConsumer(ModernBertSettings.QUERY_CACHE_SIZE, cache::setCapacity);
    services.set(new InferenceServices(registry(node.environment()), queue, new InferenceStats()));
    queryEmbedder.set(new QueryEmbedder(services.get(), cache));
    clusterService.set(node.clusterService());
    // bound for injection into the transport action
    return List.of(services.get());
  }

  @Override
  public List<ActionHandler> getActions() {
    return List.of(new ActionHandler(NodeReportAction.INSTANCE, TransportNodeReportAction.class),
        new ActionHandler(ModelDownloadAction.INSTANCE, TransportModelDownloadAction.class));
  }

  @Override
  public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
    return JapaneseAnalysis.analyzers();
  }

  @Override
  public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
    return JapaneseAnalysis.tokenizers();
  }

  @Override
  public List<QuerySpec<?>> getQueries() {
    QueryVectors vectors = new QueryVectors(clusterService::get, queryEmbedder::get);
    return List.of(new QuerySpec<>(ModernBertKnnQueryBuilder.NAME, in -> new ModernBertKnnQueryBuilder(in, vectors),
        p -> ModernBertKnnQueryBuilder.fromXContent(p, vectors)),
        new QuerySpec<>(ModernBertHybridQueryBuilder.NAME, in -> new ModernBertHybridQueryBuilder(in, vectors),
            p -> ModernBertHybridQueryBuilder.fromXContent(p, vectors)),
        new QuerySpec<>(RankFusionQueryBuilder.NAME, RankFusionQueryBuilder::new, RankFusionQueryBuilder::fromXContent));
  }

  @Override
  public Collection<RestHandler> getRestHandlers(RestHandlersServices rest, Supplier<DiscoveryNodes> nodes,
      Predicate<NodeFeature> features) {
    Supplier<InferenceServices> s = services::get;
    return List.of(new RestEmbedAction(s), new RestMappingAction(s), RestNodeReportAction.models(),
        RestNodeReportAction.stats(), new RestModelDownloadAction());
  }

  @Override
  public void close() {
    if (registry.get() != null) {
      registry.get().close();
    }
  }
}
