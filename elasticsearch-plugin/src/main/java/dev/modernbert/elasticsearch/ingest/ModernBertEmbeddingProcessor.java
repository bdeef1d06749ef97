package dev.modernbert.elasticsearch.ingest;

import dev.modernbert.inference.documents.ArrivalBatcher;
import dev.modernbert.inference.documents.EmbeddingProcessorConfig;
import dev.modernbert.inference.documents.FieldEmbedder;
import dev.modernbert.inference.documents.FieldEmbedder.DocumentResult;
import dev.modernbert.inference.documents.FieldEmbedder.FieldTexts;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.PathRedaction;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.elasticsearch.common.util.concurrent.EsRejectedExecutionException;
import org.elasticsearch.ingest.AbstractProcessor;
import org.elasticsearch.ingest.IngestDocument;

/**
 * The {@code modernbert_embedding} ingest processor: chunks a text field into windows of the model's tokens and
 * writes an array of chunk objects ({@code text}, {@code start}, {@code end}, {@code tokens}, {@code embedding}) and
 * optionally a document vector, as the OpenSearch edition does; a document whose index cannot hold the vectors
 * fails before its text is embedded. The documents of a bulk request arrive one at a
 * time and are embedded together on the plugin's inference pool; a document that cannot be embedded fails alone,
 * with its reason, and a full queue refuses a document with 429.
 */
public final class ModernBertEmbeddingProcessor extends AbstractProcessor {
  /** A document waiting for its batch, with the engine's answer to give. */
  private record Pending(IngestDocument document, FieldTexts texts, BiConsumer<IngestDocument, Exception> handler) {}

  private final EmbeddingProcessorConfig config;
  private final FieldEmbedder embedder;
  private final Supplier<InferenceServices> services;
  private final IndexVectorCheck vectorFields;
  private final ArrivalBatcher<Pending> batcher;

  ModernBertEmbeddingProcessor(String tag, String description, int batchSize, EmbeddingProcessorConfig config,
      Supplier<InferenceServices> services, IndexVectorCheck vectorFields) {
    super(tag, description);
    this.config = config;
    this.embedder = new FieldEmbedder(config);
    this.services = services;
    this.vectorFields = vectorFields;
    this.batcher = new ArrivalBatcher<>(batchSize, this::embed);
  }

  @Override
  public String getType() {
    return EmbeddingProcessorConfig.TYPE;
  }

  public EmbeddingProcessorConfig config() {
    return config;
  }

  @Override
  public boolean isAsync() {
    return true;
  }

  @Override
  public IngestDocument execute(IngestDocument document) {
    throw new UnsupportedOperationException(getType() + " runs asynchronously");
  }

  @Override
  public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
    FieldTexts texts;
    try {
      vectorFields.check(document.getMetadata().getIndex(), config.vectorFields(), config.dimension());
      Object value = document.getFieldValue(config.field(), Object.class, true);
      texts = embedder.texts(value, value != null || document.hasField(config.field(), true));
    } catch (RuntimeException e) {
      fail(handler, e);
      return;
    }
    if (texts == null || texts.texts().isEmpty()) {
      handler.accept(document, null);
      return;
    }
    try {
      batcher.add(new Pending(document, texts, handler), embedder.estimatedTokens(texts), services.get().queue());
    } catch (InferenceQueue.QueueFullException e) {
      fail(handler, new EsRejectedExecutionException(e.getMessage()));
    }
  }

  /** One batch, on the inference pool: every document hears its own result. */
  private void embed(List<Pending> batch) {
    List<DocumentResult> results;
    try {
      results = embedder.embed(services.get(), batch.stream().map(Pending::texts).toList());
    } catch (RuntimeException e) {
      batch.forEach(p -> fail(p.handler(), e));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      DocumentResult r = results.get(i);
      if (r.error() != null) {
        fail(p.handler(), r.error());
      } else {
        embedder.write(r, p.document()::setFieldValue);
        p.handler().accept(p.document(), null);
      }
    }
  }

  /** Fails the document with {@code e}, as its client may see it: no path of the node in the message. */
  private void fail(BiConsumer<IngestDocument, Exception> handler, Exception e) {
    services.get().stats().failures.increment();
    handler.accept(null, (Exception) PathRedaction.redacted(e));
  }
}
