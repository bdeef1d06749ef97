package dev.modernbert.cluster;

import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the end-to-end tests share: a work folder under {@code target/}, random models, a cluster of their own. */
final class EndToEnd {
  private EndToEnd() {}

  static Path work(String name) {
    return Path.of("target", name).toAbsolutePath();
  }

  /** {@code models/name} under {@code work}: a random checkpoint, written once and kept between runs. */
  static Path randomModel(Path work, String name, ModelShape shape, int seed) throws IOException {
    Path dir = work.resolve("models").resolve(name);
    if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
      RandomCheckpointWriter.write(new RandomCheckpointWriter.Options(shape, seed, DType.F32, false), dir);
    }
    return dir;
  }

  /** The OpenSearch cluster of {@code work/cluster}, stopped if a previous run left it running. */
  static LocalCluster cluster(Path work) throws IOException, InterruptedException {
    return cluster(work, SearchEngine.OPENSEARCH);
  }

  /** The {@code engine} cluster of {@code work/cluster}, stopped if a previous run left it running. */
  static LocalCluster cluster(Path work, SearchEngine engine) throws IOException, InterruptedException {
    LocalCluster cluster = new LocalCluster(work.resolve("cluster"),
        LocalCluster.Artifacts.in(Path.of(System.getProperty("modernbert.artifacts")), engine));
    cluster.stop();
    return cluster;
  }
}
