package dev.modernbert.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.onnx.CompiledModelCache;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Real local nodes on 127.0.0.1: the stock OpenSearch 3.6.0 distribution with opensearch-knn and this plugin's
 * OpenSearch edition installed, or the Elasticsearch 9.5.3 integ-test distribution with its Elasticsearch edition;
 * model folders copied into each node's {@code config/modernbert/models}, started as an unprivileged user (both
 * engines refuse root). The cluster's state lives in a work directory so that a later
 * {@code stop} finds exactly the nodes a {@code start} launched.
 */
public final class LocalCluster {
  /** The user nodes run as when started by root. */
  public static final String NODE_USER = "modernbert";
  private static final String STATE = "cluster.json";
  private static final String CLUSTER_NAME = "modernbert-local";

  private final Path work;
  private final Artifacts artifacts;
  private final NodeSetup setup;

  /** Work done on a new node's directory before it first starts (as root, before the node user owns it). */
  @FunctionalInterface
  public interface NodeSetup {
    void prepare(Path nodeDir) throws IOException;
  }

  /**
   * The zips a node is made of: the engine's distribution, plugins installed before this one in this order (for
   * OpenSearch: k-NN, then those that extend it, such as neural-search), and this plugin's edition for the engine.
   */
  public record Artifacts(SearchEngine engine, Path distribution, List<Path> others, Path plugin) {
    /** The OpenSearch zips in {@code dir}, as the test-cluster build copies them there. */
    public static Artifacts in(Path dir) throws IOException {
      return in(dir, SearchEngine.OPENSEARCH);
    }

    /** The zips of {@code engine} in {@code dir}, as the test-cluster build copies them there. */
    public static Artifacts in(Path dir, SearchEngine engine) throws IOException {
      return switch (engine) {
        case OPENSEARCH -> new Artifacts(engine, find(dir, "opensearch-3"), List.of(find(dir, "opensearch-knn-")),
            find(dir, "modernbert-search-"));
        case ELASTICSEARCH -> new Artifacts(engine, find(dir, "elasticsearch-9"), List.of(),
            find(dir, "modernbert-elasticsearch-"));
      };
    }

    /** These artifacts with {@code zips} installed after the ones they have, in order. */
    public Artifacts with(List<Path> zips) {
      List<Path> all = new ArrayList<>(others);
      all.addAll(zips);
      return new Artifacts(engine, distribution, List.copyOf(all), plugin);
    }

    public static Path find(Path dir, String prefix) throws IOException {
      return find(dir, prefix, ".zip");
    }

    /** The file in {@code dir} named {@code prefix…suffix}. */
    public static Path find(Path dir, String prefix, String suffix) throws IOException {
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(suffix)).findFirst()
            .orElseThrow(() -> new IOException("no " + prefix + "*" + suffix + " in " + dir + " (build with ./test.sh"
                + " or mvn package first)"));
      }
    }
  }

  public LocalCluster(Path work, Artifacts artifacts) {
    this(work, artifacts, node -> { });
  }

  /** A cluster whose new nodes get {@code setup} before their first start. */
  public LocalCluster(Path work, Artifacts artifacts, NodeSetup setup) {
    this.work = work.toAbsolutePath();
    this.artifacts = artifacts;
    this.setup = setup;
  }

  /** The HTTP port of node {@code i} (0-based) of a running cluster. */
  public int httpPort(int node) throws IOException {
    return state().get("nodes").get(node).get("http_port").asInt();
  }

  /**
   * Starts {@code nodes} nodes, each with the models under {@code modelDir}. Node {@code i} listens on HTTP port
   * {@code httpPort + i} and transport port {@code httpPort + 100 + i}: clusters that may run at once (the demo's on
   * 9200, the bench node's on 9210, each end-to-end test's in 9400–9449) keep apart by their HTTP ports.
   */
  public void start(int nodes, int httpPort, Path modelDir, String heap) throws IOException, InterruptedException {
    start(nodes, httpPort, modelDir, heap, Map.of());
  }

  /** Like {@link #start(int, int, Path, String)}, with more settings for the node's config file. */
  public void start(int nodes, int httpPort, Path modelDir, String heap, Map<String, String> settings)
      throws IOException, InterruptedException {
    if (Files.exists(work.resolve(STATE))) {
      throw new IllegalStateException("a cluster is already running from " + work + " (stop it first)");
    }
    for (int i = 0; i < nodes; i++) {
      requireFree(httpPort + i, "HTTP");
      requireFree(httpPort + 100 + i, "transport");
    }
    Path home = installHome();
    ObjectNode state = JsonFiles.mapper().createObjectNode();
    ArrayNode list = state.putArray("nodes");
    List<Process> launched = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      Path node = work.resolve("node-" + (i + 1));
      if (!Files.exists(node)) {
        FileTrees.copy(home, node, p -> true);
        setup.prepare(node);
      }
      configure(node, i, nodes, httpPort, heap, settings);
      installModels(node, modelDir);
      NodeUser.handOver(node);
      launched.add(launch(node));
      list.addObject().put("name", "node-" + (i + 1)).put("http_port", httpPort + i).put("dir", node.toString());
    }
    for (Process p : launched) {
      if (p.waitFor() != 0) {
        throw new IOException("a node failed to start; see " + work + "/node-*/logs");
      }
    }
    Files.writeString(work.resolve(STATE), state.toPrettyString());
    awaitHealth(0, "green", nodes, Duration.ofMinutes(3));
  }

  /**
   * What a start would keep from earlier runs in this work directory, one line each: the nodes' data (indexes,
   * pipelines, cluster settings) and models that {@code modelDir} does not provide. Empty for a fresh cluster.
   */
  public List<String> reusedState(int nodes, Path modelDir) throws IOException {
    List<String> reused = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      Path node = work.resolve("node-" + (i + 1));
      if (Files.isDirectory(node.resolve("data/nodes"))) {
        reused.add("node-" + (i + 1) + ": indexes, pipelines and cluster settings of earlier runs (" + node.resolve("data")
            + ")");
      }
      Path models = node.resolve("config/modernbert/models");
      if (Files.isDirectory(models)) {
        try (Stream<Path> s = Files.list(models)) {
          List<String> kept = s.map(p -> p.getFileName().toString())
              .filter(name -> modelDir == null || !Files.isDirectory(modelDir.resolve(name))).sorted().toList();
          if (!kept.isEmpty()) {
            reused.add("node-" + (i + 1) + ": models of earlier runs " + kept);
          }
        }
      }
    }
    return reused;
  }

  /** Deletes every node's directory (data, logs, models), so that the next start begins from an empty cluster. */
  public void wipeNodes() throws IOException {
    if (Files.exists(work.resolve(STATE))) {
      throw new IllegalStateException("a cluster is running from " + work + " (stop it first)");
    }
    if (!Files.isDirectory(work)) {
      return;
    }
    try (Stream<Path> s = Files.list(work)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("node-")).toList()) {
        FileTrees.delete(p);
      }
    }
  }

  /** Refuses a port something already listens on: a node there would fail to bind, or join a stranger's cluster. */
  static void requireFree(int port, String what) throws IOException {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      probe.setReuseAddress(true);
    } catch (IOException inUse) {
      throw new IOException(what + " port " + port + " on 127.0.0.1 is in use (another node or cluster still running?)",
          inUse);
    }
  }

  private Path installHome() throws IOException, InterruptedException {
    Path home = work.resolve("home");
    if (Files.isDirectory(home.resolve("plugins/modernbert-search"))
        && Files.getLastModifiedTime(home.resolve("plugins/modernbert-search")).compareTo(
            Files.getLastModifiedTime(artifacts.plugin())) > 0) {
      return home;
    }
    FileTrees.delete(home);
    Path unpacked = work.resolve("unpacked");
    FileTrees.delete(unpacked);
    unzip(artifacts.distribution(), unpacked);
    try (Stream<Path> s = Files.list(unpacked)) {
      Files.move(s.findFirst().orElseThrow(), home);
    }
    FileTrees.delete(unpacked);
    List<Path> plugins = new ArrayList<>(artifacts.others());
    plugins.add(artifacts.plugin());
    for (Path plugin : plugins) {
      run(home, List.of(engine().pluginTool(), "install", "--batch", plugin.toUri().toString()));
    }
    // existing node copies were made from an older plugin build
    try (Stream<Path> s = Files.list(work)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("node-")).toList()) {
        FileTrees.delete(p);
      }
    }
    return home;
  }

  private void configure(Path node, int index, int nodes, int httpPort, String heap, Map<String, String> settings)
      throws IOException {
    StringBuilder yml = new StringBuilder()
        .append("cluster.name: ").append(CLUSTER_NAME).append('\n')
        .append("node.name: node-").append(index + 1).append('\n')
        .append("network.host: 127.0.0.1\n")
        .append("http.port: ").append(httpPort + index).append('\n')
        .append("transport.port: ").append(httpPort + 100 + index).append('\n')
        // A local node must place its shards however full the developer's disk is: above the 90% high watermark
        // a new index's primary stays unassigned and every write answers 503 (a CI run failed so on a disk 87% full
        // before the build filled it further).
        .append("cluster.routing.allocation.disk.threshold_enabled: false\n");
    if (nodes == 1) {
      yml.append("discovery.type: single-node\n");
    } else {
      List<String> seeds = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        seeds.add("\"127.0.0.1:" + (httpPort + 100 + i) + "\"");
        names.add("node-" + (i + 1));
      }
      yml.append("discovery.seed_hosts: [").append(String.join(", ", seeds)).append("]\n")
          .append(engine().initialManagersSetting()).append(": [").append(String.join(", ", names)).append("]\n");
    }
    engine().nodeSettings().forEach((k, v) -> yml.append(k).append(": ").append(v).append('\n'));
    settings.forEach((k, v) -> yml.append(k).append(": ").append(v).append('\n'));
    Files.writeString(node.resolve("config").resolve(engine().configFile()), yml.toString());
    // jvm.options.d comes after jvm.options, so its heap wins on both engines (Elasticsearch sizes it by default)
    Path options = Files.createDirectories(node.resolve("config/jvm.options.d"));
    Files.writeString(options.resolve("heap.options"), "-Xms" + heap + "\n-Xmx" + heap + "\n");
  }

  private static void installModels(Path node, Path modelDir) throws IOException {
    if (modelDir == null) {
      return;
    }
    Path target = node.resolve("config/modernbert/models");
    Files.createDirectories(target);
    try (Stream<Path> s = Files.list(modelDir)) {
      for (Path model : s.filter(Files::isDirectory).toList()) {
        Path dest = target.resolve(model.getFileName().toString());
        FileTrees.delete(dest);
        copyModel(model, dest);
      }
    }
  }

  /** Copies a model folder, leaving out its local compile cache (nodes compile into their data path). */
  public static void copyModel(Path source, Path target) throws IOException {
    FileTrees.copy(source, target, p -> !p.toString().contains(CompiledModelCache.DEFAULT_DIR));
  }

  /** Waits until the cluster has {@code nodes} nodes and at least {@code status} (green or yellow). */
  private static void waitForStatus(int port, String status, int nodes, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Http http = new Http(port);
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        Http.Response r = http.get("/_cluster/health?wait_for_status=" + status + "&wait_for_nodes=" + nodes
            + "&timeout=2s");
        String now = r.body().path("status").asText();
        if (r.status() == 200 && (now.equals("green") || now.equals(status))
            && r.body().path("number_of_nodes").asInt() == nodes) {
          return;
        }
        last = "HTTP " + r.status() + " " + r.body();
      } catch (IOException notYet) {
        last = notYet.toString();
        Thread.sleep(1000);
      }
    }
    throw new IOException("cluster on port " + port + " did not become " + status + " with " + nodes + " nodes in "
        + timeout + "; last health: " + last);
  }

  /**
   * Waits until the cluster, asked through node {@code index} (0-based), has {@code nodes} nodes and at least
   * {@code status} (green or yellow). When it times out the message carries the last health answer, why a shard is
   * unassigned (if one is) and the end of every node's server log, so that a failure far away (CI) says what the
   * cluster was doing.
   */
  public void awaitHealth(int index, String status, int nodes, Duration timeout)
      throws IOException, InterruptedException {
    try {
      waitForStatus(httpPort(index), status, nodes, timeout);
    } catch (IOException e) {
      throw new IOException(e.getMessage() + unassignedShard(index) + logTails(30), e);
    }
  }

  private String unassignedShard(int index) {
    try {
      return "\nallocation explain: " + new Http(httpPort(index)).get("/_cluster/allocation/explain").body();
    } catch (IOException unanswered) {
      return "\nallocation explain: " + unanswered;
    }
  }

  private String logTails(int lines) throws IOException {
    StringBuilder out = new StringBuilder();
    for (JsonNode n : state().get("nodes")) {
      Path log = Path.of(n.get("dir").asText()).resolve("logs").resolve(CLUSTER_NAME + ".log");
      out.append("\n--- the end of ").append(log).append('\n');
      if (Files.isReadable(log)) {
        List<String> all = Files.readAllLines(log);
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out.append(l).append('\n'));
      }
    }
    return out.toString();
  }

  /** Stops every node this work directory started; returns how many were running. */
  public int stop() throws IOException, InterruptedException {
    if (!Files.exists(work.resolve(STATE))) {
      return 0;
    }
    int stopped = 0;
    for (JsonNode n : state().get("nodes")) {
      Optional<ProcessHandle> process = process(n);
      if (process.isPresent()) {
        terminate(process.get());
        stopped++;
      }
    }
    Files.delete(work.resolve(STATE));
    return stopped;
  }

  /** Stops and restarts node {@code index} (0-based) of the running cluster, keeping its data. */
  public void restartNode(int index, int expectedNodes) throws IOException, InterruptedException {
    stopNode(index);
    startNode(index, expectedNodes);
  }

  /** Starts node {@code index} (0-based) again after {@link #stopNode}, and waits for a green cluster. */
  public void startNode(int index, int expectedNodes) throws IOException, InterruptedException {
    JsonNode n = state().get("nodes").get(index);
    Path node = Path.of(n.get("dir").asText());
    NodeUser.handOver(node);
    if (launch(node).waitFor() != 0) {
      throw new IOException("node " + n.get("name").asText() + " failed to start");
    }
    awaitHealth(index, "green", expectedNodes, Duration.ofMinutes(3));
  }

  /** Starts the node in {@code node} as a daemon; the process ends once the node has started (or failed). */
  private Process launch(Path node) throws IOException {
    return NodeUser.launch(node, List.of(engine().startScript(), "-d", "-p", node.resolve("pid").toString()),
        engine().javaHomeVariable(), javaHome());
  }

  /** The engine the cluster's nodes run. */
  public SearchEngine engine() {
    return artifacts.engine();
  }

  /** Stops node {@code index} (0-based) without forgetting it. */
  public void stopNode(int index) throws IOException {
    process(state().get("nodes").get(index)).ifPresent(LocalCluster::terminate);
  }

  /** The running process of a node of the state: the one its pid file names, if any (a stopped node has none). */
  private static Optional<ProcessHandle> process(JsonNode node) throws IOException {
    Path pid = Path.of(node.get("dir").asText()).resolve("pid");
    if (!Files.exists(pid)) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()));
  }

  /** Asks a node to shut down, kills it after a minute, and returns once it is gone (its ports free again). */
  private static void terminate(ProcessHandle node) {
    node.destroy();
    try {
      node.onExit().get(60, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException stuck) {
      node.destroyForcibly();
      node.onExit().join();
    } catch (InterruptedException e) {
      node.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The running cluster's description, or throws when none runs from this work directory. */
  public JsonNode state() throws IOException {
    Path f = work.resolve(STATE);
    if (!Files.exists(f)) {
      throw new IllegalStateException("no cluster is running from " + work);
    }
    return JsonFiles.mapper().readTree(f.toFile());
  }

  private void run(Path dir, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(Map.of("JAVA_HOME", javaHome(), engine().javaHomeVariable(), javaHome()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + out);
    }
  }

  /** The JDK running this tool (21+) also runs the nodes. */
  static String javaHome() {
    return System.getProperty("java.home");
  }

  private static void unzip(Path zip, Path target) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        Path out = target.resolve(e.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("zip entry " + e.getName() + " leaves the target directory");
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        String name = out.getParent().getFileName().toString();
        if (name.equals("bin") || e.getName().contains("/bin/") || out.toString().endsWith(".sh")) {
          Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
    }
  }
}
