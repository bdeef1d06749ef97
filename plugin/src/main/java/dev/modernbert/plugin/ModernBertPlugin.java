package dev.modernbert.plugin;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.onnx.CompileOptions;
import dev.modernbert.inference.query.QueryEmbedder;
import dev.modernbert.inference.query.QueryVectorCache;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.ModelRegistry;
import dev.modernbert.inference.runtime.DeviceSpec;
import dev.modernbert.inference.runtime.NativeLibraries;
import dev.modernbert.inference.stats.InferenceStats;
import dev.modernbert.ingest.EmbeddingProcessorFactory;
import dev.modernbert.ingest.ModernBertEmbeddingProcessor;
import dev.modernbert.knn.query.ModernBertHybridQueryBuilder;
import dev.modernbert.knn.query.ModernBertKnnQueryBuilder;
import dev.modernbert.knn.query.QueryVectorSource;
import dev.modernbert.knn.query.RankFusionQueryBuilder;
import dev.modernbert.plugin.action.EmbedAction;
import dev.modernbert.plugin.action.MappingAction;
import dev.modernbert.plugin.action.TransportEmbedAction;
import dev.modernbert.plugin.action.TransportMappingAction;
import dev.modernbert.plugin.analysis.JapaneseAnalysis;
import dev.modernbert.plugin.ingest.IndexMappingVectorCheck;
import dev.modernbert.plugin.nodes.ModelDownloadAction;
import dev.modernbert.plugin.nodes.NodeReportAction;
import dev.modernbert.plugin.nodes.TransportModelDownloadAction;
import dev.modernbert.plugin.nodes.TransportNodeReportAction;
import dev.modernbert.plugin.rest.RestEmbedAction;
import dev.modernbert.plugin.rest.RestMappingAction;
import dev.modernbert.plugin.rest.RestModelDownloadAction;
import dev.modernbert.plugin.rest.RestNodeReportAction;
import dev.modernbert.plugin.search.NodeQueryVectors;
import dev.modernbert.plugin.settings.ModernBertSettings;
import dev.modernbert.plugin.settings.NodePaths;
import dev.modernbert.plugin.settings.PluginThreadPools;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.util.SetOnce;
import org.opensearch.action.ActionRequest;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.index.analysis.AnalyzerProvider;
import org.opensearch.index.analysis.TokenizerFactory;
import org.opensearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.opensearch.ingest.Processor;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.AnalysisPlugin;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;
import org.opensearch.script.ScriptService;
import org.opensearch.threadpool.ExecutorBuilder;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;

/**
 * ModernBERT-Ja semantic search for OpenSearch: the {@code modernbert_embedding} ingest processor, the
 * {@code modernbert_knn} query, the REST endpoints under {@code /_plugins/_modernbert}, and a node-local model
 * registry over
 * {@code <config>/modernbert/models/<name>/}. Inference runs on the plugin's own thread pools: one for ingest and
 * {@code _embed}, one for query texts.
 */
public final class ModernBertPlugin extends Plugin implements IngestPlugin, ActionPlugin, SearchPlugin,
    AnalysisPlugin {
  private final Settings settings;
  private final SetOnce<ModelRegistry> registry = new SetOnce<>();
  private final SetOnce<InferenceServices> services = new SetOnce<>();
  private final SetOnce<QueryEmbedder> queryEmbedder = new SetOnce<>();
  private final SetOnce<ClusterService> clusterService = new SetOnce<>();
  private final SetOnce<IndexNameExpressionResolver> indexNames = new SetOnce<>();

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
      EngineSettings engine = EngineSettings.defaults()
          .withAttention(CompileOptions.AttentionMode.BLOCKED)
          .withDevice(DeviceSpec.parse(ModernBertSettings.DEVICE.get(settings)))
          .withThreads(ModernBertSettings.INFERENCE_THREADS.get(settings))
          .withQuantization(ModernBertSettings.QUANTIZATION.get(settings));
      engine = engine.withBatching(ModernBertSettings.MAX_BATCH_TOKENS.get(settings), engine.maxBatchPadding())
          .withCacheDir(NodePaths.compiledGraphsDir(env));
      registry.set(new ModelRegistry(List.of(NodePaths.modelsDir(env.configDir()), NodePaths.downloadedModelsDir(env)),
          engine));
    }
    return registry.get();
  }

  @Override
  public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
    return Map.of(ModernBertEmbeddingProcessor.TYPE,
        new EmbeddingProcessorFactory(registry(parameters.env), services::get,
            new IndexMappingVectorCheck(clusterService::get)));
  }

  @Override
  public Collection<Object> createComponents(Client client, ClusterService clusterService, ThreadPool threadPool,
      ResourceWatcherService resourceWatcherService, ScriptService scriptService,
      NamedXContentRegistry xContentRegistry, Environment environment, NodeEnvironment nodeEnvironment,
      NamedWriteableRegistry namedWriteableRegistry, IndexNameExpressionResolver indexNameExpressionResolver,
      Supplier<RepositoriesService> repositoriesServiceSupplier) {
    InferenceQueue queue = new InferenceQueue(NativeLibraries.withPluginClassLoader(threadPool.executor(PluginThreadPools.INFERENCE)),
        NativeLibraries.withPluginClassLoader(threadPool.executor(PluginThreadPools.QUERY)),
        ModernBertSettings.QUEUE_MAX_TOKENS.get(settings));
    QueryVectorCache cache = new QueryVectorCache(ModernBertSettings.QUERY_CACHE_SIZE.get(settings));
    ClusterSettings dynamic = clusterService.getClusterSettings();
    dynamic.addSettingsUpdateConsumer(ModernBertSettings.QUEUE_MAX_TOKENS, queue::setMaxTokens);
    dynamic.addSettingsUpdateConsumer(ModernBertSettings.QUERY_CACHE_SIZE, cache::setCapacity);
    services.set(new InferenceServices(registry(environment), queue, new InferenceStats()));
    queryEmbedder.set(new QueryEmbedder(services.get(), cache));
    this.clusterService.set(clusterService);
    this.indexNames.set(indexNameExpressionResolver);
    // bound for injection into the transport actions
    return List.of(services.get());
  }

  @Override
  public List<ActionHandler<? extends ActionRequest, ? extends ActionResponse>> getActions() {
    return List.of(new ActionHandler<>(NodeReportAction.INSTANCE, TransportNodeReportAction.class),
        new ActionHandler<>(ModelDownloadAction.INSTANCE, TransportModelDownloadAction.class),
        new ActionHandler<>(EmbedAction.INSTANCE, TransportEmbedAction.class),
        new ActionHandler<>(MappingAction.INSTANCE, TransportMappingAction.class));
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
    QueryVectorSource vectors = new NodeQueryVectors(clusterService::get, indexNames::get, queryEmbedder::get);
    return List.of(new QuerySpec<>(ModernBertKnnQueryBuilder.NAME, in -> new ModernBertKnnQueryBuilder(in, vectors),
        p -> ModernBertKnnQueryBuilder.fromXContent(p, vectors)),
        new QuerySpec<>(ModernBertHybridQueryBuilder.NAME, in -> new ModernBertHybridQueryBuilder(in, vectors),
        p -> ModernBertHybridQueryBuilder.fromXContent(p, vectors)),
        new QuerySpec<>(RankFusionQueryBuilder.NAME, RankFusionQueryBuilder::new,
            RankFusionQueryBuilder::fromXContent));
  }

  @Override
  public List<RestHandler> getRestHandlers(Settings settings, RestController restController,
      ClusterSettings clusterSettings, IndexScopedSettings indexScopedSettings, SettingsFilter settingsFilter,
      IndexNameExpressionResolver indexNameExpressionResolver, Supplier<DiscoveryNodes> nodesInCluster) {
    return List.of(new RestEmbedAction(), new RestMappingAction(), RestNodeReportAction.models(),
        RestNodeReportAction.stats(), new RestModelDownloadAction());
  }

  @Override
  public void close() {
    if (registry.get() != null) {
      registry.get().close();
    }
  }
}
