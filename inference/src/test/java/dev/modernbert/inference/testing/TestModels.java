package dev.modernbert.inference.testing;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.ModelRegistry;
import dev.modernbert.inference.stats.InferenceStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** Random-weight checkpoints for tests, written once per JVM and deleted at exit. */
public final class TestModels {
  private static final Map<RandomCheckpointWriter.Options, Path> CACHE = new ConcurrentHashMap<>();
  private static final Path ROOT = createRoot();

  /** The name of the model in {@link #services}. */
  public static final String MODEL = "m";

  private TestModels() {}

  /**
   * A node's inference services over one random-weight {@code tiny} model named {@value #MODEL}, written under
   * {@code dir/models}, running work on {@code executor}: for the editions' plugin tests.
   */
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

  /** A random checkpoint folder of {@code shape} (F32, bare encoder, seed 7). */
  public static Path folder(ModelShape shape) {
    return folder(new RandomCheckpointWriter.Options(shape, 7, DType.F32, false));
  }

  /** A random checkpoint folder written with {@code options}; do not modify it. */
  public static Path folder(RandomCheckpointWriter.Options options) {
    return CACHE.computeIfAbsent(options, o -> {
      Path dir = ROOT.resolve(o.shape().id() + "-" + o.seed() + "-" + o.dtype() + (o.maskedLm() ? "-mlm" : "")
          + (o.biases() ? "-biases" : ""));
      try {
        RandomCheckpointWriter.write(o, dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return dir;
    });
  }

  /** A private, modifiable copy of {@code source} under {@code target}. */
  public static Path copy(Path source, Path target) throws IOException {
    FileTrees.copy(source, target, p -> true);
    return target;
  }

  /** A folder with the bundled real ModernBERT-Ja tokenizer only (tokenizer.model and its configs). */
  public static synchronized Path tokenizerOnly() {
    Path dir = ROOT.resolve("tokenizer-only");
    if (!Files.isDirectory(dir)) {
      try {
        RandomCheckpointWriter.copyBundledTokenizer(Files.createDirectories(dir));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  private static Path createRoot() {
    try {
      Path root = Files.createTempDirectory("modernbert-test-models");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path root) {
    try {
      FileTrees.delete(root);
    } catch (IOException ignored) {
      // best effort at JVM exit
    }
  }
}
