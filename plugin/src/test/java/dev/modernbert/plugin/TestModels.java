package dev.modernbert.plugin;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.ModelRegistry;
import dev.modernbert.inference.stats.InferenceStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/** A node's inference services over one random-weight {@code tiny} model named {@code m}, for plugin tests. */
public final class TestModels {
  public static final String MODEL = "m";

  private TestModels() {}

  /** Writes the model under {@code dir/models} and returns services running work on {@code executor}. */
  public static InferenceServices services(Path dir, Executor executor, long queueMaxTokens) throws IOException {
    return services(dir, executor, executor, queueMaxTokens);
  }

  /** Like {@link #services(Path, Executor, long)}, with the bulk and query lanes on their own executors. */
  public static InferenceServices services(Path dir, Executor bulk, Executor query, long queueMaxTokens)
      throws IOException {
    RandomCheckpointWriter.write(new RandomCheckpointWriter.Options(ModelShape.TINY, 9, DType.F32, false),
        dir.resolve("models").resolve(MODEL));
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"),
        EngineSettings.defaults().withCacheDir(dir.resolve("compiled")));
    return new InferenceServices(registry, new InferenceQueue(bulk, query, queueMaxTokens), new InferenceStats());
  }
}
