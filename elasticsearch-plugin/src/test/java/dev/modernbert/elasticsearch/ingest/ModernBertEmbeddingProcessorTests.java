package dev.modernbert.elasticsearch.ingest;

import static org.hamcrest.Matchers.containsString;

import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.testing.TestModels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.elasticsearch.ElasticsearchException;
import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.cluster.metadata.Metadata;
import org.elasticsearch.cluster.metadata.ProjectId;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.ingest.IngestDocument;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.test.ClusterServiceUtils;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.threadpool.TestThreadPool;
import org.elasticsearch.threadpool.ThreadPool;
import org.junit.After;
import org.junit.Before;

/**
 * The processor and its factory on Elasticsearch's test framework, with the real engine and a random-weight model:
 * documents handed over one at a time while the inference thread is busy are embedded as one batch, each with its
 * own chunks; a bad document fails alone; a full queue refuses a document with 429 and keeps what it accepted.
 */
public class ModernBertEmbeddingProcessorTests extends ESTestCase {
  private ExecutorService pool;
  private CountDownLatch busy;
  private InferenceServices services;
  private ThreadPool threadPool;
  private ClusterService cluster;

  @Before
  public void services() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    busy = new CountDownLatch(1);
    pool.execute(() -> {
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    services = TestModels.services(createTempDir(), pool, 400);
    threadPool = new TestThreadPool(getTestName());
    cluster = ClusterServiceUtils.createClusterService(threadPool);
    IndexMetadata wrong = IndexMetadata.builder("wrong").settings(indexSettings(IndexVersion.current(), 1, 0))
        .putMapping("{\"properties\":{\"chunks\":{\"type\":\"nested\",\"properties\":{\"embedding\":"
            + "{\"type\":\"keyword\"}}}}}").build();
    ClusterServiceUtils.setState(cluster, ClusterState.builder(cluster.state())
        .metadata(Metadata.builder(cluster.state().metadata()).put(wrong, false)).build());
  }

  @After
  public void stop() throws Exception {
    busy.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
    services.registry().close();
    cluster.close();
    ThreadPool.terminate(threadPool, 10, TimeUnit.SECONDS);
  }

  private EmbeddingProcessorFactory factory() {
    return new EmbeddingProcessorFactory(services.registry(), () -> services, () -> cluster);
  }

  private static Map<String, Object> config(Object... keyValues) {
    Map<String, Object> c = new HashMap<>(Map.of("model", TestModels.MODEL, "field", "body", "target_field", "chunks",
        "chunking", new HashMap<>(Map.of("max_tokens", 16))));
    for (int i = 0; i < keyValues.length; i += 2) {
      c.put((String) keyValues[i], keyValues[i + 1]);
    }
    return c;
  }

  private static IngestDocument document(Object body) {
    return document("idx", body);
  }

  /** {@code {"body": body}} going to {@code index}. */
  private static IngestDocument document(String index, Object body) {
    Map<String, Object> source = new HashMap<>();
    source.put("body", body);
    return new IngestDocument(index, "d", 1, null, null, source);
  }

  public void testDocumentsArrivingTogetherAreEmbeddedAsOneBatchAndBadOnesFailAlone() throws Exception {
    ModernBertEmbeddingProcessor p = factory().create(Map.of(), "t", null, config(), ProjectId.DEFAULT);
    List<Object> bodies = List.of("東京は日本の首都です。大阪は食の都です。京都には寺が多い。", 42, "富士山は日本一高い山です。",
        List.of("一つ目の段落です。", "二つ目。"), "索引の対応が誤っている。");
    AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(bodies.size());
    CountDownLatch done = new CountDownLatch(bodies.size());
    List<IngestDocument> docs = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      int slot = i;
      docs.add(i == 4 ? document("wrong", bodies.get(i)) : document(bodies.get(i)));
      p.execute(docs.get(i), (doc, e) -> {
        results.set(slot, e != null ? e : doc);
        done.countDown();
      });
    }
    assertThat(((Exception) results.get(1)).getMessage(), containsString("field [body] is of type Integer"));
    assertThat(((Exception) results.get(4)).getMessage(), containsString(
        "index [wrong]: field [chunks.embedding] is of type [keyword], not a dense_vector"));
    busy.countDown();
    assertTrue(done.await(1, TimeUnit.MINUTES));
    for (int i : new int[] {0, 2, 3}) {
      IngestDocument doc = (IngestDocument) results.get(i);
      List<?> chunks = doc.getFieldValue("chunks", List.class);
      assertFalse(chunks.isEmpty());
      for (Object c : chunks) {
        Map<?, ?> chunk = (Map<?, ?>) c;
        Object source = bodies.get(i) instanceof List<?> l ? l.get((Integer) chunk.get("element")) : bodies.get(i);
        assertEquals(((String) source).substring((Integer) chunk.get("start"), (Integer) chunk.get("end")),
            chunk.get("text"));
        double norm = 0;
        for (Object x : (List<?>) chunk.get("embedding")) {
          norm += ((Float) x) * ((Float) x);
        }
        assertEquals("unit vectors", 1.0, norm, 1e-4);
      }
    }
    assertEquals(3, services.stats().documents.sum());
    assertEquals(2, services.stats().failures.sum());
    assertEquals("one model call for the three documents' chunks", 1, services.stats().total.count());
  }

  public void testAFullQueueRefusesTheDocumentWith429AndKeepsWhatItAccepted() throws Exception {
    ModernBertEmbeddingProcessor p = factory().create(Map.of(), "t", null, config(), ProjectId.DEFAULT);
    String text = "東".repeat(300);
    CountDownLatch accepted = new CountDownLatch(1);
    Exception[] rejected = new Exception[1];
    p.execute(document(text), (doc, e) -> accepted.countDown());
    p.execute(document(text), (doc, e) -> rejected[0] = e);
    assertEquals(RestStatus.TOO_MANY_REQUESTS, ExceptionsHelper.status(rejected[0]));
    assertThat(rejected[0].getMessage(), containsString("inference queue is full"));
    busy.countDown();
    assertTrue("the accepted document is embedded", accepted.await(1, TimeUnit.MINUTES));
    assertEquals(1, services.stats().documents.sum());
  }

  public void testBadConfigurationsAreRefusedWithTheOptionNamed() throws Exception {
    EmbeddingProcessorFactory f = factory();
    assertThat(expectThrows(ElasticsearchException.class, () -> f.create(Map.of(), "t", null,
        config("model", "nope"), ProjectId.DEFAULT)).getMessage(), containsString("[model]"));
    assertThat(expectThrows(ElasticsearchException.class, () -> f.create(Map.of(), "t", null,
        config("chunking", new HashMap<>(Map.of("overlap_tokens", 100_000))), ProjectId.DEFAULT)).getMessage(),
        containsString("[chunking]"));
    assertThat(expectThrows(ElasticsearchException.class, () -> f.create(Map.of(), "t", null,
        config("batch_size", 0), ProjectId.DEFAULT)).getMessage(), containsString("[batch_size]"));
    assertThat(expectThrows(ElasticsearchException.class, () -> f.create(Map.of(), "t", null,
        config("store_text", "maybe"), ProjectId.DEFAULT)).getMessage(), containsString("[store_text]"));
    assertThat(expectThrows(ElasticsearchException.class, () -> f.create(Map.of(), "t", null,
        config("model", "../etc"), ProjectId.DEFAULT)).getMessage(), containsString("invalid model name"));
    assertEquals("検索文書: ", f.create(Map.of(), "t", null, config(), ProjectId.DEFAULT).config().prefix());
    assertEquals("max_tokens is capped by the model", 8192, f.create(Map.of(), "t", null,
        config("chunking", new HashMap<>(Map.of("max_tokens", 100_000))), ProjectId.DEFAULT).config().chunking()
        .maxTokens());
  }
}
