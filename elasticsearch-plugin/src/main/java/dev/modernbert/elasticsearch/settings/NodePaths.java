package dev.modernbert.elasticsearch.settings;

import java.nio.file.Path;
import org.elasticsearch.env.Environment;

/**
 * Where the plugin finds and keeps models on a node. Its entitlements let it read {@code <config>/modernbert/models}
 * and read and write {@code <data>/modernbert} (downloaded models, compiled graphs), nothing else.
 */
public final class NodePaths {
  private NodePaths() {}

  /** {@code <config>/modernbert/models}: the models installed with the node; they win over downloaded ones. */
  public static Path modelsDir(Environment env) {
    return env.configDir().resolve("modernbert").resolve("models");
  }

  /** {@code <data>/modernbert/models}: models the node downloaded. */
  public static Path downloadedModelsDir(Environment env) {
    return env.dataDirs()[0].resolve("modernbert").resolve("models");
  }

  /** {@code <data>/modernbert/compiled}: the compiled ONNX graphs of the models. */
  public static Path compiledGraphsDir(Environment env) {
    return env.dataDirs()[0].resolve("modernbert").resolve("compiled");
  }
}
