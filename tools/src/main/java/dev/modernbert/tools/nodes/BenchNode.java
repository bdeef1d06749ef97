package dev.modernbert.tools.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.cluster.Http;
import dev.modernbert.cluster.IndexSetup;
import dev.modernbert.cluster.LocalCluster;
import dev.modernbert.cluster.SearchEngine;
import dev.modernbert.tools.bench.BenchmarksFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The node the {@code bench} commands measure: one real node (2 GB heap) on port 9210 with a random-weight model
 * of the requested shape, from its own work directory, stopped when closed.
 */
final class BenchNode implements AutoCloseable {
  static final int PORT = 9210;

  final LocalCluster cluster;
  final SearchEngine engine;
  final Http http = new Http(PORT);
  final String model;
  final Path work;

  private BenchNode(LocalCluster cluster, String model, Path work) {
    this.cluster = cluster;
    this.engine = cluster.engine();
    this.model = model;
    this.work = work;
  }

  /** A node of {@code engine} with this plugin's edition for it. */
  static BenchNode start(String shape, SearchEngine engine) throws IOException, InterruptedException {
    return start(shape, engine == SearchEngine.OPENSEARCH ? "bench" : "bench-" + engine.id(),
        ClusterMain.artifacts(engine), node -> { }, Map.of());
  }

  /**
   * A node of its own work directory {@code name}, made of {@code artifacts}, with {@code setup} applied to it
   * once and these node settings.
   */
  static BenchNode start(String shape, String name, LocalCluster.Artifacts artifacts, LocalCluster.NodeSetup setup,
      Map<String, String> settings) throws IOException, InterruptedException {
    Path work = ClusterMain.workDir().toAbsolutePath().resolve(name);
    String model = Demo.prepareModel("random:" + shape, work.resolve("models"));
    LocalCluster cluster = new LocalCluster(work.resolve("cluster"), artifacts, setup);
    cluster.stop();
    System.out.println("starting " + artifacts.engine().id() + " (model " + model + ")...");
    cluster.start(1, PORT, work.resolve("models"), "2g", settings);
    return new BenchNode(cluster, model, work);
  }

  Path modelDir() {
    return work.resolve("models").resolve(model);
  }

  /** Creates {@code index} with the model's recommended mapping, 1 shard, no replica; edits the body first. */
  ObjectNode createIndex(String index, String pipeline, Consumer<ObjectNode> edit)
      throws IOException {
    ObjectNode body = IndexSetup.indexBody(http, model, pipeline, 1, 0);
    edit.accept(body);
    IndexSetup.createIndex(http, index, body);
    return body;
  }

  /** {@code bench-results/<bench>-<shape>.<ext>}: where a benchmark's results go. */
  static Path resultFile(String bench, String shape, String ext) {
    return Path.of("bench-results", bench + "-" + shape + "." + ext);
  }

  /** The results' name for a benchmark of this node: the Elasticsearch edition's are kept apart. */
  String resultName(String bench) {
    return engine == SearchEngine.OPENSEARCH ? bench : bench + "-" + engine.id();
  }

  /**
   * Saves {@code report} as JSON and as its BENCHMARKS.md section, titled with the command that made it (its
   * options besides the shape: {@code options}, as {@code Args.given} tells them) and {@code about}, with
   * {@code figure} (or none) below the table.
   */
  static void save(String bench, String shape, String options, String about, ObjectNode report, Path figure)
      throws IOException {
    save(bench, bench, shape, options, about, report, figure);
  }

  /** Like {@link #save(String, String, String, String, ObjectNode, Path)}, saved as {@code name} (its results). */
  static void save(String bench, String name, String shape, String options, String about, ObjectNode report,
      Path figure) throws IOException {
    Path json = resultFile(name, shape, "json");
    BenchmarksFile.save(json, name + "-" + shape,
        BenchmarksFile.commandTitle(bench, shape, options) + " (" + about + ")", report, figure);
    System.out.println("\nwritten " + json + (figure == null ? "" : ", " + figure) + " and BENCHMARKS.md");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    cluster.stop();
  }
}
