package dev.modernbert.inference.download;

import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.registry.ModelRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What one node does for a model download request, on either edition: refuse unless downloads are on, refuse a bad
 * name or a name the node's config directory already holds, fetch the hub model into the node's downloads directory
 * and check that the folder opens. The edition maps the failures to its own errors.
 */
public final class NodeModelDownload {
  private NodeModelDownload() {}

  /**
   * Downloads hub model {@code id} at {@code revision} as model {@code name} into {@code downloads/name}.
   *
   * @param enabledSetting the setting that turns downloads on, named in the refusal
   * @throws IllegalArgumentException when downloads are off or the name is bad or taken (a client's error)
   * @throws java.io.FileNotFoundException when the hub does not have the model or one of its files
   * @throws IOException when the download fails otherwise
   */
  public static void download(boolean enabled, String enabledSetting, ModelRegistry registry, Path downloads,
      URI endpoint, String name, String id, String revision, Consumer<String> progress) throws IOException {
    if (!enabled) {
      throw new IllegalArgumentException("model downloads are off on this node: set " + enabledSetting + ": true");
    }
    ModelRegistry.requireValidName(name);
    if (Files.exists(registry.modelsDirs().get(0).resolve(name))) {
      throw new IllegalArgumentException("model \"" + name + "\" is already installed in the node's config directory");
    }
    Path target = downloads.resolve(name);
    new ModelDownloader(endpoint, System.getenv("HF_TOKEN"), progress).download(id, revision, target);
    ModelFolder.open(target);
  }
}
