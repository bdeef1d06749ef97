package dev.modernbert.inference.onnx;

import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.model.ModernBertWeights;
import dev.modernbert.inference.onnx.schema.Onnx.ModelProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Compiled graphs cached beside the model, in {@code <cache>/<key>/model.onnx} (+ {@code model.onnx.data}),
 * where the key is a SHA-256 of the compiler version, the compile options, {@code config.json} and every
 * weight file's bytes. A changed checkpoint gets a new key and is recompiled; a finished entry is never
 * rewritten, and a half-written one is never seen (it is built in a temporary folder and renamed). When a
 * folder is compiled anew with the same options, the entries of its earlier weights are deleted. The int8
 * rewrites of exported graphs are kept the same way, keyed by the folder's files.
 */
public final class CompiledModelCache {
  public static final String GRAPH_FILE = "model.onnx";
  public static final String DATA_FILE = "model.onnx.data";
  private static final String SOURCE_FILE = "source.txt";
  /** Default cache folder name inside the model folder. */
  public static final String DEFAULT_DIR = ".modernbert-cache";

  private CompiledModelCache() {}

  /** Writes a graph and its data into a folder. */
  private interface GraphWriter {
    void writeInto(Path dir) throws IOException;
  }

  /** The compiled graph for {@code folder} under {@code options}, compiling it if the cache has none. */
  public static Path graph(ModelFolder folder, CompileOptions options, Path cacheDir) throws IOException {
    return entry(cacheDir, key(folder, options), source(folder, options.key()),
        dir -> compileInto(folder, options, dir));
  }

  /**
   * The int8 graph of an exported-ONNX {@code folder} ({@link ExportedGraphQuantizer}) with its weights stored
   * as {@code weights}, written on first use; keyed by the quantizer's version, the format and the folder's files.
   */
  public static Path quantizedExport(ModelFolder folder, Int8Weights weights, Path cacheDir) throws IOException {
    return entry(cacheDir, exportKey(folder, weights), source(folder, "int8-export" + weights.key()),
        dir -> ExportedGraphQuantizer.quantizeInto(folder, weights, dir));
  }

  private static Path entry(Path cacheDir, String key, String source, GraphWriter writer) throws IOException {
    Path entry = cacheDir.resolve(key);
    Path graph = entry.resolve(GRAPH_FILE);
    if (Files.isRegularFile(graph)) {
      return graph;
    }
    Files.createDirectories(cacheDir);
    Path temp = Files.createTempDirectory(cacheDir, "compiling-");
    try {
      writer.writeInto(temp);
      Files.writeString(temp.resolve(SOURCE_FILE), source);
      try {
        Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE);
        deleteSuperseded(cacheDir, entry, source);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException raced) {
        // another process finished the same entry first; theirs is identical
      } catch (IOException e) {
        if (!Files.isRegularFile(graph)) {
          throw e;
        }
      }
    } finally {
      FileTrees.delete(temp);
    }
    return graph;
  }

  /** Which folder and options an entry was compiled from: entries that share it hold older weights. */
  private static String source(ModelFolder folder, String options) throws IOException {
    return folder.dir().toRealPath() + "\n" + options + "\n";
  }

  /**
   * Deletes the entries compiled from the same folder with the same options before {@code entry}: the folder's
   * weights or config changed since, so nothing asks for them again (a model still running from one keeps its
   * open files). Entries of other folders or options, and entries without a source record, are kept.
   */
  private static void deleteSuperseded(Path cacheDir, Path entry, String source) throws IOException {
    List<Path> entries;
    try (Stream<Path> s = Files.list(cacheDir)) {
      entries = s.filter(p -> !p.equals(entry) && Files.isRegularFile(p.resolve(SOURCE_FILE))).toList();
    }
    for (Path old : entries) {
      if (Files.readString(old.resolve(SOURCE_FILE)).equals(source)) {
        FileTrees.delete(old);
      }
    }
  }

  /** Compiles {@code folder}'s weights into {@code dir}/{@value #GRAPH_FILE} and its {@value #DATA_FILE}. */
  public static void compileInto(ModelFolder folder, CompileOptions options, Path dir) throws IOException {
    ModernBertWeights weights = folder.loadWeights();
    ModelProto model;
    try (OutputStream data = new BufferedOutputStream(Files.newOutputStream(dir.resolve(DATA_FILE)), 1 << 20)) {
      model = ModernBertGraphCompiler.compile(weights, options, new ExternalData(DATA_FILE, data));
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(GRAPH_FILE)))) {
      model.writeTo(out);
    }
  }

  /** Hex SHA-256 over what determines the compiled graph. */
  static String key(ModelFolder folder, CompileOptions options) throws IOException {
    return digest("modernbert-graph " + ModernBertGraphCompiler.VERSION + " " + options.key(), folder, n ->
        n.equals("config.json") || n.endsWith(".safetensors") || n.equals("model.safetensors.index.json"));
  }

  /** Hex SHA-256 over the compiler version, the format and every regular file of an exported folder but the cache. */
  private static String exportKey(ModelFolder folder, Int8Weights weights) throws IOException {
    return digest("modernbert-int8-export " + ModernBertGraphCompiler.VERSION + weights.key(), folder,
        n -> !n.startsWith("."));
  }

  private static String digest(String header, ModelFolder folder, Predicate<String> names) throws IOException {
    MessageDigest sha = sha256();
    sha.update((header + "\n").getBytes());
    List<Path> files;
    try (Stream<Path> s = Files.list(folder.dir())) {
      files = s.filter(p -> Files.isRegularFile(p) && names.test(p.getFileName().toString())).sorted().toList();
    }
    byte[] buffer = new byte[1 << 20];
    for (Path f : files) {
      sha.update(f.getFileName().toString().getBytes());
      try (InputStream in = Files.newInputStream(f)) {
        int r;
        while ((r = in.read(buffer)) > 0) {
          sha.update(buffer, 0, r);
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 16);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
