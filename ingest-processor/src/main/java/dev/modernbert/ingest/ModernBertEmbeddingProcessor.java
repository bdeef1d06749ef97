package dev.modernbert.ingest;

import dev.modernbert.inference.documents.EmbeddingProcessorConfig;
import dev.modernbert.inference.documents.FieldEmbedder;
import dev.modernbert.inference.documents.FieldEmbedder.DocumentResult;
import dev.modernbert.inference.documents.FieldEmbedder.FieldTexts;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.PathRedaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.ingest.AbstractBatchingProcessor;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.IngestDocumentWrapper;

/**
 * The {@code modernbert_embedding} ingest processor: chunks a text field into windows of the model's tokens
 * and writes an array of chunk objects ({@code text}, {@code start}, {@code end}, {@code tokens},
 * {@code embedding}) and optionally a document vector. Documents of a bulk request are embedded together on
 * the plugin's inference pool; a document that cannot be embedded fails alone, with its reason. The node's
 * stats count the documents embedded and those failed, whatever the reason.
 */
public final class ModernBertEmbeddingProcessor extends AbstractBatchingProcessor {
  public static final String TYPE = EmbeddingProcessorConfig.TYPE;

  private final EmbeddingProcessorConfig config;
  private final FieldEmbedder embedder;
  private final Supplier<InferenceServices> services;
  private final VectorFieldCheck vectorFields;

  ModernBertEmbeddingProcessor(String tag, String description, int batchSize, EmbeddingProcessorConfig config,
      Supplier<InferenceServices> services, VectorFieldCheck vectorFields) {
    super(tag, description, batchSize);
    this.config = config;
    this.embedder = new FieldEmbedder(config);
    this.services = services;
    this.vectorFields = vectorFields;
  }

  @Override
  public String getType() {
    return TYPE;
  }

  public EmbeddingProcessorConfig config() {
    return config;
  }

  @Override
  public IngestDocument execute(IngestDocument document) {
    throw new UnsupportedOperationException(TYPE + " runs asynchronously");
  }

  @Override
  public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
    subBatchExecute(List.of(new IngestDocumentWrapper(0, 0, document, null)), done -> {
      IngestDocumentWrapper w = done.get(0);
      handler.accept(w.getException() == null ? w.getIngestDocument() : null, w.getException());
    });
  }

  @Override
  protected void subBatchExecute(List<IngestDocumentWrapper> docs, Consumer<List<IngestDocumentWrapper>> handler) {
    List<FieldTexts> texts = new ArrayList<>();
    long tokens = 0;
    Map<String, RuntimeException> indexChecks = new HashMap<>();
    for (IngestDocumentWrapper w : docs) {
      FieldTexts t = null;
      try {
        checkIndex(w.getIngestDocument(), indexChecks);
        t = read(w.getIngestDocument());
        tokens += t == null ? 0 : embedder.estimatedTokens(t);
      } catch (RuntimeException e) {
        fail(w, e);
      }
      texts.add(t);
    }
    if (texts.stream().allMatch(t -> t == null)) {
      handler.accept(docs);
      return;
    }
    InferenceServices s = services.get();
    try {
      s.queue().submit(tokens, () -> {
        try {
          apply(docs, embedder.embed(s, texts));
        } catch (RuntimeException e) {
          failEach(docs, texts, e);
        } finally {
          handler.accept(docs);
        }
      });
    } catch (InferenceQueue.QueueFullException e) {
      failEach(docs, texts, new OpenSearchRejectedExecutionException(e.getMessage()));
      handler.accept(docs);
    }
  }

  private FieldTexts read(IngestDocument document) {
    Object value = document.getFieldValue(config.field(), Object.class, true);
    return embedder.texts(value, value != null || document.hasField(config.field(), true));
  }

  private void apply(List<IngestDocumentWrapper> docs, List<DocumentResult> results) {
    for (int d = 0; d < docs.size(); d++) {
      DocumentResult r = results.get(d);
      IngestDocumentWrapper w = docs.get(d);
      if (r != null && r.error() != null) {
        fail(w, r.error());
      } else if (r != null) {
        embedder.write(r, w.getIngestDocument()::setFieldValue);
      }
    }
  }

  /** Fails every document that had texts to embed with {@code e}. */
  private void failEach(List<IngestDocumentWrapper> docs, List<FieldTexts> texts, Exception e) {
    for (int d = 0; d < docs.size(); d++) {
      if (texts.get(d) != null) {
        fail(docs.get(d), e);
      }
    }
  }

  /** Fails the document when its index cannot hold the vectors; each index of a batch is checked once. */
  private void checkIndex(IngestDocument document, Map<String, RuntimeException> checked) {
    String index = (String) document.getSourceAndMetadata().get(IngestDocument.Metadata.INDEX.getFieldName());
    if (!checked.containsKey(index)) {
      try {
        config.vectorFields().forEach(f -> vectorFields.check(index, f, config.dimension()));
        checked.put(index, null);
      } catch (RuntimeException e) {
        checked.put(index, e);
      }
    }
    RuntimeException problem = checked.get(index);
    if (problem != null) {
      throw problem;
    }
  }

  /** Fails the document with {@code e}, as its client may see it: no path of the node in the message. */
  private void fail(IngestDocumentWrapper w, Exception e) {
    if (w.getException() == null) {
      w.update(w.getIngestDocument(), (Exception) PathRedaction.redacted(e));
      services.get().stats().failures.increment();
    }
  }
}
