package dev.modernbert.ingest;

import dev.modernbert.inference.engine.DocumentEmbedder;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.PathRedaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
  public static final String TYPE = "modernbert_embedding";

  private final EmbeddingProcessorConfig config;
  private final Supplier<InferenceServices> services;
  private final VectorFieldCheck vectorFields;

  ModernBertEmbeddingProcessor(String tag, String description, int batchSize, EmbeddingProcessorConfig config,
      Supplier<InferenceServices> services, VectorFieldCheck vectorFields) {
    super(tag, description, batchSize);
    this.config = config;
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

  /** One text to embed: document {@code doc}, array element {@code element} (-1 for a plain string). */
  private record Source(int doc, int element, String text) {}

  @Override
  protected void subBatchExecute(List<IngestDocumentWrapper> docs, Consumer<List<IngestDocumentWrapper>> handler) {
    List<Source> sources = new ArrayList<>();
    long tokens = 0;
    Map<String, RuntimeException> indexChecks = new HashMap<>();
    for (int d = 0; d < docs.size(); d++) {
      try {
        checkIndex(docs.get(d).getIngestDocument(), indexChecks);
        for (Source s : read(d, docs.get(d).getIngestDocument())) {
          sources.add(s);
          tokens += InferenceQueue.estimatedTokens(config.prefix().length() + s.text().length());
        }
      } catch (RuntimeException e) {
        fail(docs.get(d), e);
      }
    }
    if (sources.isEmpty()) {
      handler.accept(docs);
      return;
    }
    InferenceServices s = services.get();
    try {
      s.queue().submit(tokens, () -> {
        try {
          embed(s, docs, sources);
        } catch (RuntimeException e) {
          sources.forEach(src -> fail(docs.get(src.doc()), e));
        } finally {
          handler.accept(docs);
        }
      });
    } catch (InferenceQueue.QueueFullException e) {
      OpenSearchRejectedExecutionException rejected = new OpenSearchRejectedExecutionException(e.getMessage());
      sources.forEach(src -> fail(docs.get(src.doc()), rejected));
      handler.accept(docs);
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

  private List<Source> read(int doc, IngestDocument document) {
    Object value = document.getFieldValue(config.field(), Object.class, true);
    if (value == null) {
      if (config.ignoreMissing() && !document.hasField(config.field(), true)) {
        return List.of();
      }
      throw new IllegalArgumentException("field [" + config.field() + "] is missing or null");
    }
    if (value instanceof String text) {
      return List.of(new Source(doc, -1, text));
    }
    if (value instanceof List<?> list) {
      List<Source> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof String text)) {
          throw new IllegalArgumentException("field [" + config.field() + "] element " + i + " is "
              + typeName(list.get(i)) + ", not a string");
        }
        out.add(new Source(doc, i, text));
      }
      return out;
    }
    throw new IllegalArgumentException("field [" + config.field() + "] is " + typeName(value)
        + "; expected a string or an array of strings");
  }

  private static String typeName(Object v) {
    return v == null ? "null" : "of type " + v.getClass().getSimpleName();
  }

  private void embed(InferenceServices s, List<IngestDocumentWrapper> docs, List<Source> sources) {
    LoadedModel model = s.registry().get(config.model());
    DocumentEmbedder embedder = new DocumentEmbedder(model, config.chunking(), config.prefix(), s.stats());
    List<DocumentEmbedder.Outcome> outcomes = embedder.embed(sources.stream().map(Source::text).toList());
    Map<Integer, List<Map<String, Object>>> chunksByDoc = new LinkedHashMap<>();
    Map<Integer, List<DocumentEmbedder.Outcome>> outcomesByDoc = new LinkedHashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      Source src = sources.get(i);
      DocumentEmbedder.Outcome o = outcomes.get(i);
      if (docs.get(src.doc()).getException() != null) {
        continue;
      }
      if (o.error() != null) {
        fail(docs.get(src.doc()), new IllegalArgumentException("field [" + config.field() + "]"
            + (src.element() >= 0 ? " element " + src.element() : "") + ": " + o.error().getMessage(), o.error()));
        continue;
      }
      List<Map<String, Object>> chunks = chunksByDoc.computeIfAbsent(src.doc(), k -> new ArrayList<>());
      outcomesByDoc.computeIfAbsent(src.doc(), k -> new ArrayList<>()).add(o);
      for (DocumentEmbedder.EmbeddedChunk c : o.chunks()) {
        chunks.add(chunkObject(src, c));
      }
    }
    chunksByDoc.forEach((d, chunks) -> {
      IngestDocumentWrapper w = docs.get(d);
      if (w.getException() == null) {
        s.stats().documents.increment();
        w.getIngestDocument().setFieldValue(config.targetField(), chunks);
        if (config.docVectorField() != null) {
          float[] v = documentVector(outcomesByDoc.get(d));
          if (v != null) {
            w.getIngestDocument().setFieldValue(config.docVectorField(), toList(v));
          }
        }
      }
    });
  }

  private Map<String, Object> chunkObject(Source src, DocumentEmbedder.EmbeddedChunk c) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (config.storeText()) {
      m.put("text", src.text().substring(c.start(), c.end()));
    }
    if (src.element() >= 0) {
      m.put("element", src.element());
    }
    m.put("start", c.start());
    m.put("end", c.end());
    m.put("tokens", c.tokens());
    m.put("embedding", toList(c.vector()));
    return m;
  }

  /** For array fields: the token-weighted mean over the chunks of every element, normalized. */
  private static float[] documentVector(List<DocumentEmbedder.Outcome> outcomes) {
    List<DocumentEmbedder.EmbeddedChunk> all = new ArrayList<>();
    outcomes.forEach(o -> all.addAll(o.chunks()));
    return DocumentEmbedder.documentVector(all);
  }

  private static List<Float> toList(float[] v) {
    List<Float> out = new ArrayList<>(v.length);
    for (float x : v) {
      out.add(x);
    }
    return out;
  }

  /** Fails the document with its first reason, counting it once in the node's stats. */
  /** Fails the document with {@code e}, as its client may see it: no path of the node in the message. */
  private void fail(IngestDocumentWrapper w, Exception e) {
    if (w.getException() == null) {
      w.update(w.getIngestDocument(), (Exception) PathRedaction.redacted(e));
      services.get().stats().failures.increment();
    }
  }
}
