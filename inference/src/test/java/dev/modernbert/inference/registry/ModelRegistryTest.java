package dev.modernbert.inference.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.InvalidModelException;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.runtime.DeviceSpec;
import dev.modernbert.inference.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Model lookup and loading: names and paths stay inside the models directory, loads are shared, failures heal. */
class ModelRegistryTest {
  @TempDir Path models;

  private ModelRegistry registry() {
    return new ModelRegistry(models, EngineSettings.defaults().withDevice(DeviceSpec.parse("cpu"))
        .withCacheDir(models.resolveSibling(models.getFileName() + "-cache")));
  }

  @Test
  void namesAndLinksCannotLeaveTheModelsDirectory() throws Exception {
    Path outside = Files.createTempDirectory("outside");
    Files.createSymbolicLink(models.resolve("escape"), outside);
    try (ModelRegistry r = registry()) {
      for (String bad : List.of("../etc", "/abs", "a/b", "UPPER", "", "x..y")) {
        assertThrows(UnknownModelException.class, () -> r.resolve(bad), bad);
      }
      String msg = assertThrows(UnknownModelException.class, () -> r.resolve("escape")).getMessage();
      assertTrue(msg.contains("leaves the models directory"), msg);
      msg = assertThrows(UnknownModelException.class, () -> r.resolve("absent")).getMessage();
      assertTrue(msg.contains("not found"), msg);
    }
  }

  @Test
  void aFileLinkedFromOutsideTheModelsDirectoryIsRefusedAndOneInsideLoads() throws Exception {
    Path source = TestModels.folder(ModelShape.TINY);
    Path leaky = TestModels.copy(source, models.resolve("leaky"));
    Path outside = Files.createTempDirectory("outside").resolve("config.json");
    Files.move(leaky.resolve("config.json"), outside);
    Files.createSymbolicLink(leaky.resolve("config.json"), outside);
    Path shared = TestModels.copy(source, models.resolve("shared"));
    Files.move(shared.resolve("model.safetensors"), models.resolve("blobs-weights.safetensors"));
    Files.createSymbolicLink(shared.resolve("model.safetensors"), Path.of("../blobs-weights.safetensors"));
    try (ModelRegistry r = registry()) {
      for (var call : List.<Executable>of(() -> r.get("leaky"), () -> r.describe("leaky"))) {
        String msg = assertThrows(InvalidModelException.class, call).getMessage();
        assertTrue(msg.contains("leaky/config.json is a symbolic link that leaves the models directory"), msg);
      }
      ModelRegistry.ModelInfo leakyInfo = r.list().stream().filter(i -> i.name().equals("leaky")).findFirst().get();
      assertEquals(ModelRegistry.State.FAILED, leakyInfo.state());
      assertTrue(leakyInfo.error().contains("leaves the models directory"), leakyInfo.error());
      assertEquals(64, r.get("shared").folder().hiddenSize(), "a link to a file inside the models directory is fine");
    }
  }

  @Test
  void concurrentFirstRequestsShareOneLoad() throws Exception {
    TestModels.copy(TestModels.folder(ModelShape.TINY), models.resolve("tiny"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (ModelRegistry r = registry()) {
      List<CompletableFuture<LoadedModel>> calls = IntStream.range(0, 4)
          .mapToObj(i -> CompletableFuture.supplyAsync(() -> r.get("tiny"), pool)).toList();
      for (CompletableFuture<LoadedModel> c : calls) {
        assertSame(calls.get(0).join(), c.join());
      }
      assertEquals(ModelRegistry.State.LOADED, r.list().get(0).state());
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aFailedLoadIsRememberedUntilTheFolderIsFixed() throws Exception {
    Path dir = TestModels.copy(TestModels.folder(ModelShape.TINY), models.resolve("tiny"));
    Path weights = dir.resolve("model.safetensors");
    Path good = Files.move(weights, models.resolveSibling(models.getFileName() + "-weights.safetensors"));
    Files.write(weights, new byte[] {1, 2, 3});
    try (ModelRegistry r = registry()) {
      String first = assertThrows(InvalidModelException.class, () -> r.get("tiny")).getMessage();
      assertTrue(first.contains("model.safetensors"), first);
      assertEquals(first, assertThrows(InvalidModelException.class, () -> r.get("tiny")).getMessage());
      ModelRegistry.ModelInfo failed = r.list().get(0);
      assertEquals(ModelRegistry.State.FAILED, failed.state());
      assertTrue(failed.error().contains("model.safetensors"), failed.error());

      Files.move(good, weights, StandardCopyOption.REPLACE_EXISTING);
      assertEquals(64, r.get("tiny").folder().hiddenSize(), "the fixed folder loads without a restart");
      assertEquals(ModelRegistry.State.LOADED, r.list().get(0).state());
    }
  }
}
