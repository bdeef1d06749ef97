package dev.modernbert.inference.registry;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.InvalidModelException;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.onnx.CompiledModelCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The models of one node: sub-folders of a models directory, each loaded lazily on first use, once, even
 * under concurrent first requests. A load that failed is remembered (each request gets its reason without
 * reading the folder again) until the folder's files change: the next request after a fix loads it again.
 * Names are validated and every path is checked to stay inside the models directory (no {@code ..}, no
 * absolute paths, no symbolic links leading out — neither the folder nor any file in it).
 */
public final class ModelRegistry implements AutoCloseable {
  /** Allowed model names. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
  /** How deep model folders are searched for links out (sentence-transformers modules sit one level down). */
  private static final int MAX_FOLDER_DEPTH = 4;

  /** Load state of a model. */
  public enum State { AVAILABLE, LOADING, LOADED, FAILED }

  /** What the registry knows of one model folder. */
  public record ModelInfo(String name, State state, int dimension, int maxTokens, String device, String format,
      String error) {}

  private final List<Path> modelsDirs;
  private final EngineSettings settings;
  private final Map<String, Load> loads = new ConcurrentHashMap<>();

  /** One load of a model folder, and the folder's stamp when it started. */
  private record Load(CompletableFuture<LoadedModel> model, long stamp) {
    boolean failed() {
      return model.isCompletedExceptionally();
    }
  }

  public ModelRegistry(Path modelsDir, EngineSettings settings) {
    this(List.of(modelsDir), settings);
  }

  /** Models are looked up in {@code modelsDirs} in order: a name in an earlier directory hides a later one. */
  public ModelRegistry(List<Path> modelsDirs, EngineSettings settings) {
    this.modelsDirs = modelsDirs.stream().map(d -> d.toAbsolutePath().normalize()).toList();
    this.settings = settings;
  }

  /** How this registry's models are run. */
  public EngineSettings settings() {
    return settings;
  }

  public List<Path> modelsDirs() {
    return modelsDirs;
  }

  /** Refuses a name that is not {@code [a-z0-9][a-z0-9._-]*}: names are folder names under the models directories. */
  public static void requireValidName(String name) {
    if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
      throw new UnknownModelException("invalid model name \"" + name + "\": use [a-z0-9][a-z0-9._-]*");
    }
  }

  /** The folder of model {@code name}; throws {@link UnknownModelException} for invalid or absent names. */
  public Path resolve(String name) {
    return locate(name).dir();
  }

  /** A model folder (real path) and the real path of the models directory holding it. */
  private record Located(Path root, Path dir) {}

  private Located locate(String name) {
    requireValidName(name);
    for (Path root : modelsDirs) {
      Path dir = root.resolve(name);
      if (Files.isDirectory(dir)) {
        return inside(root, dir, name);
      }
    }
    throw new UnknownModelException("model \"" + name + "\" not found: no folder " + name
        + " in any models directory");
  }

  private static Located inside(Path root, Path dir, String name) {
    try {
      Path real = dir.toRealPath();
      Path realRoot = root.toRealPath();
      if (!real.startsWith(realRoot) || Files.isSymbolicLink(dir)) {
        throw new UnknownModelException("model \"" + name + "\" is a link that leaves the models directory");
      }
      return new Located(realRoot, real);
    } catch (IOException e) {
      throw new UnknownModelException("model \"" + name + "\" cannot be read: " + e.getMessage());
    }
  }

  /**
   * Refuses a folder in which a symbolic link leads out of its models directory (links that stay inside, as a
   * Hugging Face cache snapshot's do, are fine). Checked before any file of the folder is read.
   */
  private static void requireNoLinkOut(Located at) {
    try (Stream<Path> entries = Files.walk(at.dir(), MAX_FOLDER_DEPTH, FileVisitOption.FOLLOW_LINKS)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (!p.toRealPath().startsWith(at.root())) {
          throw new InvalidModelException(at.dir().getFileName() + "/" + at.dir().relativize(p)
              + " is a symbolic link that leaves the models directory");
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new InvalidModelException(at.dir().getFileName() + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** The folder's metadata without loading weights (dimension, limits, prefixes). */
  public ModelFolder describe(String name) {
    Located at = locate(name);
    requireNoLinkOut(at);
    return ModelFolder.open(at.dir());
  }

  /** The loaded model, loading it on first use; concurrent callers share one load. */
  public LoadedModel get(String name) {
    Located at = locate(name);
    Load load = loads.get(name);
    if (load == null) {
      load = start(name, at, stamp(at.dir()));
    } else if (load.failed()) {
      long now = stamp(at.dir());
      if (now != load.stamp()) {
        loads.remove(name, load);
        load = start(name, at, now);
      }
    }
    try {
      return load.model().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading model " + name, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof InvalidModelException ime ? ime
          : new InvalidModelException("model \"" + name + "\" failed to load: " + cause.getMessage(), cause);
    }
  }

  /** Every sub-folder with a valid name in any models directory (the first of a name only), with its state. */
  public List<ModelInfo> list() {
    Set<String> names = new TreeSet<>();
    for (Path root : modelsDirs) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> dirs = Files.list(root)) {
        dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && NAME.matcher(p.getFileName().toString())
            .matches()).forEach(p -> names.add(p.getFileName().toString()));
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + root + ": " + e.getMessage(), e);
      }
    }
    return names.stream().map(this::info).toList();
  }

  /** Loads the folder unless another caller already started loading {@code name}; returns the load to wait for. */
  private Load start(String name, Located at, long stamp) {
    Load mine = new Load(new CompletableFuture<>(), stamp);
    Load existing = loads.putIfAbsent(name, mine);
    if (existing != null) {
      return existing;
    }
    try {
      requireNoLinkOut(at);
      mine.model().complete(LoadedModel.load(at.dir(), settings));
    } catch (RuntimeException | Error e) {
      mine.model().completeExceptionally(e);
    }
    return mine;
  }

  /**
   * A value that changes when a file of the folder (or of its sub-folders, compile cache aside) is added, removed,
   * resized or rewritten.
   */
  private static long stamp(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
          && !p.toString().contains(CompiledModelCache.DEFAULT_DIR)).mapToLong(p -> {
            try {
              return dir.relativize(p).toString().hashCode() * 31L + Files.size(p) * 17L
                  + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
            } catch (IOException e) {
              return 0;
            }
          }).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  private ModelInfo info(String name) {
    Load load = loads.get(name);
    CompletableFuture<LoadedModel> f = load == null ? null : load.model();
    try {
      if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
        LoadedModel m = f.join();
        return new ModelInfo(name, State.LOADED, m.folder().hiddenSize(), m.folder().maxTokens(), m.encoder().device(),
            m.folder().format().name().toLowerCase(Locale.ROOT), null);
      }
      ModelFolder folder = describe(name);
      String format = folder.format().name().toLowerCase(Locale.ROOT);
      if (f != null && f.isCompletedExceptionally()) {
        return new ModelInfo(name, State.FAILED, folder.hiddenSize(), folder.maxTokens(), null, format, failure(f));
      }
      return new ModelInfo(name, f == null ? State.AVAILABLE : State.LOADING, folder.hiddenSize(), folder.maxTokens(),
          null, format, null);
    } catch (RuntimeException e) {
      return new ModelInfo(name, State.FAILED, 0, 0, null, null, e.getMessage());
    }
  }

  private static String failure(CompletableFuture<LoadedModel> f) {
    try {
      f.join();
      return null;
    } catch (RuntimeException e) {
      return e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
    }
  }

  @Override
  public void close() {
    loads.values().forEach(load -> {
      if (load.model().isDone() && !load.failed()) {
        load.model().join().close();
      }
    });
    loads.clear();
  }
}
