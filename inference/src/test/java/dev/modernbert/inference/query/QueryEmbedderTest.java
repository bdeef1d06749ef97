package dev.modernbert.inference.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.TokenLimitException;
import dev.modernbert.inference.model.EmbeddingProfile;
import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.ModelRegistry;
import dev.modernbert.inference.registry.UnknownModelException;
import dev.modernbert.inference.runtime.OnnxEncoder;
import dev.modernbert.inference.stats.InferenceStats;
import dev.modernbert.inference.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Query embedding with the real engine: model prefix by default, cached repeats, failures as failed futures. */
class QueryEmbedderTest {
  private static final String LONG_QUERY = "瑠璃色は紫みを帯びた濃い青で、宝石の瑠璃に由来する色の名前です。".repeat(600);
  @TempDir static Path dir;
  private static ModelRegistry registry;

  @BeforeAll
  static void model() throws Exception {
    FileTrees.copy(TestModels.folder(ModelShape.TINY), dir.resolve("models/m"), p -> true);
    registry = new ModelRegistry(dir.resolve("models"), EngineSettings.defaults().withCacheDir(dir.resolve("cache")));
  }

  private static float[] direct(String text, String prefix) {
    LoadedModel m = registry.get("m");
    return m.embedder(m.folder().maxTokens()).embed(List.of(text), prefix, true).get(0).vector();
  }

  @Test
  void embedsWithTheModelsQueryPrefixOnTheQueueAndCachesRepeats() throws Exception {
    AtomicInteger tasks = new AtomicInteger();
    Executor counting = r -> {
      tasks.incrementAndGet();
      r.run();
    };
    InferenceStats stats = new InferenceStats();
    QueryEmbedder embedder = new QueryEmbedder(
        new InferenceServices(registry, new InferenceQueue(counting, 1_000_000), stats), new QueryVectorCache(8));
    String q = "瑠璃色はどんな色？";
    float[] first = embedder.embed("m", q, null).get();
    assertArrayEquals(direct(q, EmbeddingProfile.RURI_QUERY_PREFIX), first, 1e-6f);
    assertTrue(Pooling.cosine(first, direct(q, "")) < 0.9999, "the default prefix must change the vector");
    assertArrayEquals(first, embedder.embed("m", q, null).get());
    assertEquals(1, tasks.get(), "the repeat must come from the cache");
    assertArrayEquals(direct(q, ""), embedder.embed("m", q, "").get(), 1e-6f);
    assertEquals(2, tasks.get());
    assertEquals(3, stats.queries.sum());
    assertEquals(1, stats.cacheHits.sum());
    assertEquals(2, stats.cacheMisses.sum());
  }

  @Test
  void unknownModelAndFullQueueFailTheFuture() {
    List<Runnable> held = new ArrayList<>();
    QueryEmbedder embedder = new QueryEmbedder(
        new InferenceServices(registry, new InferenceQueue(held::add, 10), new InferenceStats()), new QueryVectorCache(8));
    assertCause(UnknownModelException.class, embedder.embed("missing", "質問", null));
    CompletableFuture<float[]> admitted = embedder.embed("m", "最初の質問", null);
    assertCause(InferenceQueue.QueueFullException.class, embedder.embed("m", "二番目の質問", null));
    held.forEach(Runnable::run);
    assertEquals(registry.get("m").folder().hiddenSize(), admitted.join().length);
  }

  @Test
  void aQueryDoesNotWaitForBulkWorkQueuedBeforeIt() throws Exception {
    List<Runnable> bulk = new ArrayList<>();
    InferenceQueue queue = new InferenceQueue(bulk::add, Runnable::run, 1_000_000);
    QueryEmbedder embedder = new QueryEmbedder(new InferenceServices(registry, queue, new InferenceStats()),
        new QueryVectorCache(8));
    queue.submit(500_000, () -> { });
    float[] v = embedder.embed("m", "瑠璃色はどんな色？", null).get(30, TimeUnit.SECONDS);
    assertArrayEquals(direct("瑠璃色はどんな色？", EmbeddingProfile.RURI_QUERY_PREFIX), v, 1e-6f);
    assertEquals(1, bulk.size(), "the bulk task is still waiting");
    assertEquals(500_000, queue.queuedTokens());
  }

  @Test
  void queriesWaitingTogetherShareOneModelCallAndOneOverTheLimitFailsAlone() throws Exception {
    List<Runnable> held = new ArrayList<>();
    InferenceQueue queue = new InferenceQueue(Runnable::run, held::add, 10_000_000);
    QueryEmbedder embedder = new QueryEmbedder(new InferenceServices(registry, queue, new InferenceStats()),
        new QueryVectorCache(8));
    LoadedModel m = registry.get("m");
    List<String> texts = List.of("瑠璃色はどんな色？", "茜色はどんな色？", "群青色はどんな色？");
    for (String t : texts) {
      int tokens = m.tokenizer().ids(EmbeddingProfile.RURI_QUERY_PREFIX + t).length;
      assertTrue(tokens >= 10 && tokens <= 12, "lengths close enough for one batch: " + tokens);
    }
    List<CompletableFuture<float[]>> answers = texts.stream().map(t -> embedder.embed("m", t, null)).toList();
    CompletableFuture<float[]> tooLong = embedder.embed("m", LONG_QUERY, null);
    OnnxEncoder encoder = (OnnxEncoder) m.encoder();
    long calls = encoder.batchCount();
    held.get(0).run();
    assertEquals(calls + 1, encoder.batchCount(), "the first pass embeds all three in one call");
    assertCause(TokenLimitException.class, tooLong);
    held.subList(1, held.size()).forEach(Runnable::run);
    assertEquals(calls + 1, encoder.batchCount(), "the other passes find nothing left");
    assertEquals(0, queue.queuedTokens());
    for (int i = 0; i < texts.size(); i++) {
      assertArrayEquals(direct(texts.get(i), EmbeddingProfile.RURI_QUERY_PREFIX), answers.get(i).getNow(null), 1e-5f);
    }
  }

  @Test
  void aQueryOverTheModelsTokenLimitIsRefusedNotCut() {
    InferenceStats stats = new InferenceStats();
    QueryEmbedder embedder = new QueryEmbedder(
        new InferenceServices(registry, new InferenceQueue(Runnable::run, 10_000_000), stats), new QueryVectorCache(8));
    LoadedModel m = registry.get("m");
    int tokens = m.tokenizer().ids(EmbeddingProfile.RURI_QUERY_PREFIX + LONG_QUERY).length;
    assertTrue(tokens > m.folder().maxTokens(), tokens + " tokens");
    ExecutionException e = assertThrows(ExecutionException.class, () -> embedder.embed("m", LONG_QUERY, null).get());
    assertInstanceOf(TokenLimitException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains(tokens + " tokens"), e.getCause().getMessage());
    assertThrows(ExecutionException.class, () -> embedder.embed("m", LONG_QUERY, null).get(), "never cached");
    assertEquals(0, stats.cacheHits.sum());
  }

  private static void assertCause(Class<? extends Throwable> type, CompletableFuture<float[]> f) {
    ExecutionException e = assertThrows(ExecutionException.class, f::get);
    assertInstanceOf(type, e.getCause());
  }
}
