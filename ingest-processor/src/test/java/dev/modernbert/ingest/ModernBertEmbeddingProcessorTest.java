package dev.modernbert.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.ModelRegistry;
import dev.modernbert.inference.stats.InferenceStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchException;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.IngestDocumentWrapper;

/**
 * The processor with the real engine and a single-thread pool: a batch of documents keeps every vector with its
 * chunk, bad documents fail alone, and bad configurations are refused when the processor is created.
 */
class ModernBertEmbeddingProcessorTest {
  @TempDir static Path dir;
  private static ModelRegistry registry;

  @BeforeAll
  static void model() throws Exception {
    RandomCheckpointWriter.write(new RandomCheckpointWriter.Options(ModelShape.TINY, 5, DType.F32, false),
        dir.resolve("models/m"));
    registry = new ModelRegistry(dir.resolve("models"), EngineSettings.defaults().withCacheDir(dir.resolve("cache")));
  }

  private static Map<String, Object> config(Object... extra) {
    Map<String, Object> c = new HashMap<>(Map.of("model", "m", "field", "body", "target_field", "chunks"));
    for (int i = 0; i < extra.length; i += 2) {
      c.put((String) extra[i], extra[i + 1]);
    }
    return c;
  }

  @Test
  @SuppressWarnings("unchecked")
  void batchKeepsEveryVectorWithItsChunkAndFailsBadDocumentsAlone() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    InferenceServices services = new InferenceServices(registry, new InferenceQueue(pool, 10_000_000),
        new InferenceStats());
    List<String> checked = Collections.synchronizedList(new ArrayList<>());
    VectorFieldCheck check = (index, field, dim) -> {
      checked.add(index + "/" + field + "/" + dim);
      if (index.equals("faiss-index")) {
        throw new IllegalArgumentException("field [" + field + "] is a knn_vector with engine [faiss]");
      }
    };
    ModernBertEmbeddingProcessor p = new EmbeddingProcessorFactory(registry, () -> services, check)
        .create(Map.of(), "t", null, config("chunking", new HashMap<>(Map.of("max_tokens", 24)), "batch_size", 4));
    List<Object> bodies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      bodies.add(("文書" + i + "の一文目です。二文目は少し長く続きます。").repeat(1 + i % 3));
    }
    bodies.addAll(List.of(42, List.of("要素一。", "要素二。"), "", "これは文です。".repeat(8000), "索引が違う文書。"));
    List<IngestDocumentWrapper> docs = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      docs.add(document(i, i == 14 ? "faiss-index" : "idx", bodies.get(i)));
    }
    AtomicReference<List<IngestDocumentWrapper>> result = new AtomicReference<>();
    p.batchExecute(docs, result::set);
    pool.shutdown();
    assertTrue(pool.awaitTermination(5, TimeUnit.MINUTES));
    assertEquals(bodies.size(), result.get().size());
    try (LoadedModel m = LoadedModel.load(dir.resolve("models/m"),
        EngineSettings.defaults().withCacheDir(dir.resolve("cache")))) {
      for (IngestDocumentWrapper w : result.get()) {
        Object body = bodies.get(w.getSlot());
        if (body instanceof Integer || (body instanceof String s && s.length() > 10_000) || w.getSlot() == 14) {
          assertTrue(w.getException() != null, "document " + w.getSlot() + " fails alone");
          continue;
        }
        assertNull(w.getException(), "document " + w.getSlot());
        List<Map<String, Object>> chunks = w.getIngestDocument().getFieldValue("chunks", List.class);
        for (Map<String, Object> c : chunks) {
          float[] expected = m.embedder(24).embed(List.of((String) c.get("text")), "検索文書: ", true).get(0).vector();
          List<Float> actual = (List<Float>) c.get("embedding");
          double dot = 0;
          for (int k = 0; k < expected.length; k++) {
            dot += expected[k] * actual.get(k);
          }
          assertEquals(1.0, dot, 1e-4, "document " + w.getSlot() + " chunk at " + c.get("start"));
        }
      }
    }
    assertTrue(result.get().get(10).getException().getMessage().contains("field [body] is of type Integer"));
    assertTrue(result.get().get(13).getException().getMessage().contains("max_chunks (1000)"));
    assertTrue(result.get().get(14).getException().getMessage().contains("engine [faiss]"));
    int dim = registry.describe("m").hiddenSize();
    assertTrue(checked.contains("idx/chunks.embedding/" + dim), checked.toString());
    assertTrue(checked.size() <= 5, "each index is checked once per sub-batch of 4: " + checked);
    assertEquals(0, ((List<?>) result.get().get(12).getIngestDocument().getFieldValue("chunks", List.class)).size());
    assertEquals(12, services.stats().documents.sum(), "10 texts, the array (once) and the empty string");
    assertEquals(3, services.stats().failures.sum(), "the number, the text over max_chunks, the faiss index");
  }

  @Test
  void aFullQueueRejectsTheBatchWith429AndKeepsWhatItAccepted() {
    List<Runnable> held = new ArrayList<>();
    InferenceServices services = new InferenceServices(registry, new InferenceQueue(held::add, 20),
        new InferenceStats());
    ModernBertEmbeddingProcessor p = new EmbeddingProcessorFactory(registry, () -> services, (i, f, d) -> { })
        .create(Map.of(), "t", null, config());
    AtomicReference<List<IngestDocumentWrapper>> accepted = new AtomicReference<>();
    p.batchExecute(List.of(document(0, "idx", "短い文。")), accepted::set);
    assertEquals(1, held.size(), "the first document is queued");
    AtomicReference<List<IngestDocumentWrapper>> rejected = new AtomicReference<>();
    p.batchExecute(List.of(document(0, "idx", "短い文。"), document(1, "idx", 42)), rejected::set);
    Exception full = rejected.get().get(0).getException();
    assertEquals(RestStatus.TOO_MANY_REQUESTS, ExceptionsHelper.status(full));
    // "検索文書: " (6) + "短い文。" (4) + <s> and </s>: the prefix is part of what the queue holds
    assertTrue(full.getMessage().contains("12 tokens queued, 12 more would exceed"), full.getMessage());
    assertTrue(rejected.get().get(1).getException().getMessage().contains("field [body] is of type Integer"));
    held.get(0).run();
    assertNull(accepted.get().get(0).getException(), "what was accepted is embedded");
    assertEquals(1, accepted.get().get(0).getIngestDocument().getFieldValue("chunks", List.class).size());
    assertEquals(1, services.stats().documents.sum());
    assertEquals(2, services.stats().failures.sum(), "the rejected document and the number");
  }

  /** Document {@code slot} of a batch: {@code {"body": body}} in {@code index}. */
  private static IngestDocumentWrapper document(int slot, String index, Object body) {
    Map<String, Object> source = new HashMap<>(Map.of("body", body));
    return new IngestDocumentWrapper(slot, 0, new IngestDocument(index, "d" + slot, null, null, null, source), null);
  }

  @Test
  void badConfigurationsAreRefusedWithTheFieldNamed() {
    EmbeddingProcessorFactory f = new EmbeddingProcessorFactory(registry, () -> null, (index, field, dim) -> {});
    assertTrue(assertThrows(OpenSearchException.class, () -> f.create(Map.of(), "t", null, config("model", "nope")))
        .getMessage().contains("[model]"));
    assertTrue(assertThrows(OpenSearchException.class, () -> f.create(Map.of(), "t", null,
        config("chunking", new HashMap<>(Map.of("overlap_tokens", 100_000))))).getMessage().contains("[chunking]"));
    assertTrue(assertThrows(OpenSearchException.class, () -> f.create(Map.of(), "t", null,
        config("chunking", new HashMap<>(Map.of("boundary", "word"))))).getMessage().contains("boundary"));
    assertTrue(assertThrows(OpenSearchException.class, () -> f.create(Map.of(), "t", null,
        config("model", "../etc"))).getMessage().contains("invalid model name"));
    assertEquals("検索文書: ", f.create(Map.of(), "t", null, config()).config().prefix(), "Ruri document prefix");
    assertEquals(8192, f.create(Map.of(), "t", null, config("chunking", new HashMap<>(Map.of("max_tokens", 100_000))))
        .config().chunking().maxTokens(), "max_tokens is capped by the model");
  }
}
