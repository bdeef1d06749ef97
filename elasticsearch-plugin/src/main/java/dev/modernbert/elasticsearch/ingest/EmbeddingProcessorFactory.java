package dev.modernbert.elasticsearch.ingest;

import static org.elasticsearch.ingest.ConfigurationUtils.newConfigurationException;
import static org.elasticsearch.ingest.ConfigurationUtils.readIntProperty;

import dev.modernbert.inference.documents.EmbeddingProcessorConfig;
import dev.modernbert.inference.documents.EmbeddingProcessorOptions;
import dev.modernbert.inference.documents.ProcessorOptionException;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.ModelRegistry;
import java.util.Map;
import java.util.function.Supplier;
import org.elasticsearch.cluster.metadata.ProjectId;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.ingest.Processor;

/**
 * Creates {@code modernbert_embedding} processors with the OpenSearch edition's options, rejecting bad
 * configurations when the pipeline is created: an unknown or invalid model, bad chunking values, unknown
 * options — each error names the option.
 */
public final class EmbeddingProcessorFactory implements Processor.Factory {
  /** Documents embedded together at most (the OpenSearch edition's default sub-batch). */
  public static final int DEFAULT_BATCH_SIZE = 256;

  private final ModelRegistry registry;
  private final Supplier<InferenceServices> services;
  private final IndexVectorCheck vectorFields;

  /**
   * {@code registry} validates model names now; {@code services} runs the work once the node is up;
   * {@code cluster} gives each document's index mapping, checked before its text is embedded.
   */
  public EmbeddingProcessorFactory(ModelRegistry registry, Supplier<InferenceServices> services,
      Supplier<ClusterService> cluster) {
    this.registry = registry;
    this.services = services;
    this.vectorFields = new IndexVectorCheck(cluster);
  }

  @Override
  public ModernBertEmbeddingProcessor create(Map<String, Processor.Factory> factories, String tag, String description,
      Map<String, Object> config, ProjectId project) {
    String type = EmbeddingProcessorConfig.TYPE;
    int batchSize = readIntProperty(type, tag, config, "batch_size", DEFAULT_BATCH_SIZE);
    if (batchSize < 1) {
      throw newConfigurationException(type, tag, "batch_size", "must be positive");
    }
    try {
      return new ModernBertEmbeddingProcessor(tag, description, batchSize,
          EmbeddingProcessorOptions.parse(config, registry), services, vectorFields);
    } catch (ProcessorOptionException e) {
      throw newConfigurationException(type, tag, e.property(), e.getMessage());
    }
  }
}
