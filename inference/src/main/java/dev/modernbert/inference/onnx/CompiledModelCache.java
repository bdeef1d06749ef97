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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compiled graphs cached beside the model, in {@code <cache>/<key>/model.onnx} (+ {@code model.onnx.data}),
 * where the key is a SHA-256 of the compiler version, the compile options, {@code config.json} and every
 * weight file's bytes. A changed checkpoint gets a new key and is recompiled; a finished entry is never
 * rewritten, and a half-written one is never seen (it is built in a temporary folder and renamed).
 */
public final class CompiledModelCache {
  public static final String GRAPH_FILE = "model.onnx";
  public static final String DATA_FILE = "model.onnx.data";
  /** Default cache folder name inside the model folder. */
  public static final String DEFAULT_DIR = ".modernbert-cache";

  private CompiledModelCache() {}

  /** The compiled graph for {@code folder} under {@code options}, compiling it if the cache has none. */
  public static Path graph(ModelFolder folder, CompileOptions options, Path cacheDir) throws IOException {
    Path entry = cacheDir.resolve(key(folder, options));
    Path graph = entry.resolve(GRAPH_FILE);
    if (Files.isRegularFile(graph)) {
      return graph;
    }
    Files.createDirectories(cacheDir);
    Path temp = Files.createTempDirectory(cacheDir, "compiling-");
    try {
      compileInto(folder, options, temp);
      try {
        Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException raced) {
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
    MessageDigest sha = sha256();
    sha.update(("modernbert-graph " + ModernBertGraphCompiler.VERSION + " " + options.key() + "\n").getBytes());
    List<Path> files;
    try (Stream<Path> s = Files.list(folder.dir())) {
      files = s.filter(p -> {
        String n = p.getFileName().toString();
        return n.equals("config.json") || n.endsWith(".safetensors") || n.equals("model.safetensors.index.json");
      }).sorted().toList();
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
