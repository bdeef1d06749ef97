package dev.modernbert.plugin.settings;

import java.nio.file.Path;
import org.opensearch.env.Environment;

/**
 * Where the plugin finds and keeps models on a node. Plugins may read the config directory but not write it, so
 * everything the plugin writes (compiled graphs, downloads) lives under the node's data path.
 */
public final class NodePaths {
  private NodePaths() {}

  /** {@code <config>/modernbert/models}: models installed with the node; they win over downloaded ones. */
  public static Path modelsDir(Path configDir) {
    return configDir.resolve("modernbert").resolve("models");
  }

  /** {@code <data>/modernbert/models}: models the node downloaded. */
  public static Path downloadedModelsDir(Environment env) {
    return dataDir(env).resolve("models");
  }

  /** {@code <data>/modernbert/compiled}: the compiled ONNX graphs of the models. */
  public static Path compiledGraphsDir(Environment env) {
    return dataDir(env).resolve("compiled");
  }

  private static Path dataDir(Environment env) {
    return env.dataFiles()[0].resolve("modernbert");
  }
}
