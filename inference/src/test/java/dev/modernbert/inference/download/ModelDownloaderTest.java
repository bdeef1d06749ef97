package dev.modernbert.inference.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.Checkpoint;
import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import dev.modernbert.inference.testing.CheckpointEdits;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a local server in the hub's layout: complete, verified, resumable, and clear when it fails. */
class ModelDownloaderTest {
  @TempDir Path dir;

  private Path publish(String id, RandomCheckpointWriter.Options options) throws IOException {
    Path repo = dir.resolve("hub").resolve(id);
    RandomCheckpointWriter.write(options, repo);
    return repo;
  }

  private static ModelDownloader downloader(LocalHub hub) {
    return new ModelDownloader(hub.endpoint(), null, line -> { });
  }

  @Test
  void downloadsAFolderThatLoadsAndEmbedsLikeTheOriginal() throws Exception {
    Path repo = publish("org/tiny", new RandomCheckpointWriter.Options(ModelShape.TINY, 4, DType.BF16, false));
    try (LocalHub hub = new LocalHub(dir.resolve("hub"))) {
      Path out = dir.resolve("out");
      List<String> files = downloader(hub).download("org/tiny", "main", out);
      assertTrue(files.containsAll(List.of("config.json", "tokenizer.model", Checkpoint.SINGLE_FILE)), files.toString());
      for (String f : files) {
        assertArrayEquals(Files.readAllBytes(repo.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
      }
      assertTrue(hub.requests.stream().anyMatch(r -> r.startsWith("GET /cdn/org/tiny/resolve/main/model.safetensors")),
          "LFS files follow the hub's redirect");
      try (Stream<Path> s = Files.walk(out)) {
        assertFalse(s.anyMatch(p -> p.toString().endsWith(".incomplete")));
      }
      EngineSettings engine = EngineSettings.defaults().withCacheDir(dir.resolve("cache"));
      try (LoadedModel a = LoadedModel.load(repo, engine); LoadedModel b = LoadedModel.load(out, engine)) {
        assertArrayEquals(a.embedder(64).embed(List.of("今日は晴れです"), "", true).get(0).vector(),
            b.embedder(64).embed(List.of("今日は晴れです"), "", true).get(0).vector());
      }
      int before = hub.requests.size();
      downloader(hub).download("org/tiny", "main", out);
      assertTrue(hub.requests.subList(before, hub.requests.size()).stream().noneMatch(r -> r.startsWith("GET")),
          "a complete folder is verified, not fetched again");
    }
  }

  @Test
  void shardedCheckpointsAndResumingAnInterruptedFile() throws Exception {
    Path repo = publish("org/sharded", new RandomCheckpointWriter.Options(ModelShape.TINY, 5, DType.F32, false));
    Path single = dir.resolve("single");
    FileTrees.copy(repo, single, p -> true);
    CheckpointEdits.shard(repo);
    try (LocalHub hub = new LocalHub(dir.resolve("hub"))) {
      hub.cutOnce.add("model-00002-of-00002.safetensors");
      Path out = dir.resolve("out");
      assertThrows(IOException.class, () -> downloader(hub).download("org/sharded", "main", out));
      assertTrue(Files.size(out.resolve("model-00002-of-00002.safetensors.incomplete")) > 0, "partial bytes kept");
      assertFalse(Files.exists(out.resolve("model-00002-of-00002.safetensors")));
      downloader(hub).download("org/sharded", "main", out);
      assertTrue(hub.requests.stream().anyMatch(r -> r.contains("model-00002-of-00002.safetensors bytes=")),
          "the second run resumes with a range request: " + hub.requests);
      assertEquals(ModelFolder.Format.MODERNBERT_CHECKPOINT, ModelFolder.open(out).format());
      EngineSettings engine = EngineSettings.defaults().withCacheDir(dir.resolve("cache"));
      try (LoadedModel a = LoadedModel.load(single, engine); LoadedModel b = LoadedModel.load(out, engine)) {
        assertArrayEquals(a.embedder(64).embed(List.of("分割された重み"), "", true).get(0).vector(),
            b.embedder(64).embed(List.of("分割された重み"), "", true).get(0).vector());
      }
    }
  }

  @Test
  void corruptedFilesAndMissingFilesFailWithTheirName() throws Exception {
    publish("org/bad", new RandomCheckpointWriter.Options(ModelShape.TINY, 6, DType.F32, false));
    try (LocalHub hub = new LocalHub(dir.resolve("hub"))) {
      hub.corrupted.add(Checkpoint.SINGLE_FILE);
      Path out = dir.resolve("out");
      IOException e = assertThrows(IOException.class, () -> downloader(hub).download("org/bad", "main", out));
      assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("sha256"), e.getMessage());
      assertFalse(Files.exists(out.resolve(Checkpoint.SINGLE_FILE)), "a corrupted file never gets its real name");
      assertFalse(Files.exists(out.resolve(Checkpoint.SINGLE_FILE + ".incomplete")));

      IOException missing = assertThrows(FileNotFoundException.class,
          () -> downloader(hub).download("org/nothing-here", "main", dir.resolve("none")));
      assertTrue(missing.getMessage().contains("config.json not found (HTTP 404"), missing.getMessage());
      assertThrows(IllegalArgumentException.class, () -> downloader(hub).download("../etc", "main", out));
      assertThrows(IllegalArgumentException.class, () -> downloader(hub).download("org/bad", "../x", out));
    }
  }

  @Test
  void endpointComesFromTheSettingThenHfEndpoint() {
    assertEquals("https://huggingface.co", HubEndpoint.resolve(null, Map.of()).toString());
    assertEquals("http://mirror:8080", HubEndpoint.resolve(null, Map.of("HF_ENDPOINT", "http://mirror:8080/")).toString());
    assertEquals("https://x.test", HubEndpoint.resolve("https://x.test", Map.of("HF_ENDPOINT", "http://m")).toString());
    assertThrows(IllegalArgumentException.class, () -> HubEndpoint.resolve("file:///etc", Map.of()));
  }
}
