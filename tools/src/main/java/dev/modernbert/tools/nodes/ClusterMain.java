package dev.modernbert.tools.nodes;

import dev.modernbert.cluster.Http;
import dev.modernbert.cluster.LocalCluster;
import dev.modernbert.cluster.SearchEngine;
import dev.modernbert.tools.cli.Args;
import dev.modernbert.tools.cli.UsageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code ./modernbert cluster start|stop|status [--engine opensearch|elasticsearch]} (and {@code demo}): local
 * OpenSearch nodes with k-NN and this plugin's OpenSearch edition (HTTP 9200 by default), or Elasticsearch nodes with
 * its Elasticsearch edition (9250). The OpenSearch cluster lives in {@code .cluster/} of the repository (or
 * {@code -Dmodernbert.cluster.dir}), the Elasticsearch one in its {@code elasticsearch/} folder.
 */
public final class ClusterMain {
  private ClusterMain() {}

  public static void main(String[] argv) {
    String command = "modernbert " + (argv.length > 0 ? argv[0] : "") + ": ";
    try {
      System.exit(run(Arrays.asList(argv)));
    } catch (UsageException | IllegalArgumentException | IllegalStateException e) {
      System.err.println(command + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println(command + e.getMessage());
      System.exit(1);
    }
  }

  static Path workDir() {
    return Path.of(System.getProperty("modernbert.cluster.dir", ".cluster"));
  }

  /** Where {@code engine}'s cluster keeps its nodes. */
  static Path workDir(SearchEngine engine) {
    return engine == SearchEngine.OPENSEARCH ? workDir() : workDir().resolve(engine.id());
  }

  static LocalCluster cluster(SearchEngine engine) throws IOException {
    return new LocalCluster(workDir(engine), artifacts(engine));
  }

  /** The OpenSearch distribution, k-NN and plugin zips the build copied. */
  static LocalCluster.Artifacts artifacts() throws IOException {
    return artifacts(SearchEngine.OPENSEARCH);
  }

  /** The distribution and plugin zips of {@code engine} the build copied. */
  static LocalCluster.Artifacts artifacts(SearchEngine engine) throws IOException {
    return LocalCluster.Artifacts.in(Path.of(System.getProperty("modernbert.artifacts", "test-cluster/target/artifacts")),
        engine);
  }

  /** The engine an {@code --engine} option names (OpenSearch when there is none). */
  static SearchEngine engine(Args a) {
    return SearchEngine.parse(a.get("engine", SearchEngine.OPENSEARCH.id()));
  }

  /** The default HTTP port of {@code engine}'s local cluster: the two can run side by side. */
  static int defaultPort(SearchEngine engine) {
    return engine == SearchEngine.OPENSEARCH ? 9200 : 9250;
  }

  static int run(List<String> argv) throws Exception {
    if (argv.isEmpty()) {
      throw new UsageException("usage: cluster start|stop|status | demo | bench query|ingest|vs-neural");
    }
    if (argv.get(0).equals("demo")) {
      return Demo.run(argv.subList(1, argv.size()));
    }
    if (argv.get(0).equals("bench") && argv.size() > 1 && argv.get(1).equals("query")) {
      return QueryBenchmark.run(argv.subList(2, argv.size()));
    }
    if (argv.get(0).equals("bench") && argv.size() > 1 && argv.get(1).equals("ingest")) {
      return IngestBenchmark.run(argv.subList(2, argv.size()));
    }
    if (argv.get(0).equals("bench") && argv.size() > 1 && argv.get(1).equals("vs-neural")) {
      return VsNeuralBenchmark.run(argv.subList(2, argv.size()));
    }
    if (!argv.get(0).equals("cluster") || argv.size() < 2) {
      throw new UsageException("usage: cluster start [--engine opensearch|elasticsearch] [--nodes N] [--http-port P]"
          + " [--model-dir DIR] [--heap 2g] [--fresh] | cluster stop [--engine E] | cluster status [--engine E]");
    }
    List<String> rest = argv.subList(2, argv.size());
    switch (argv.get(1)) {
      case "start" -> {
        Args a = Args.parse(rest, Set.of("fresh"), Set.of("engine", "nodes", "http-port", "model-dir", "heap"));
        requireNoPositional(a);
        SearchEngine engine = engine(a);
        int nodes = a.intValue("nodes", 1, 1);
        int port = a.intValue("http-port", defaultPort(engine), 1);
        Path models = a.get("model-dir", null) == null ? null : Path.of(a.get("model-dir", null));
        LocalCluster cluster = cluster(engine);
        if (a.flag("fresh")) {
          cluster.wipeNodes();
        }
        start(cluster, nodes, port, models, a.get("heap", nodes > 1 ? "1g" : "2g"));
        System.out.println(engine.id() + " cluster green: " + nodes + " node(s), http://127.0.0.1:" + port);
      }
      case "stop" -> {
        SearchEngine engine = engine(options(rest, "engine"));
        System.out.println("stopped " + cluster(engine).stop() + " " + engine.id() + " node(s)");
      }
      case "status" -> {
        int port = cluster(engine(options(rest, "engine"))).httpPort(0);
        Http.Response r = new Http(port).get("/_cluster/health");
        System.out.println("http://127.0.0.1:" + port + " " + r.body().toString());
      }
      default -> throw new UsageException("unknown cluster command " + argv.get(1));
    }
    return 0;
  }

  /** Starts the cluster and says what it kept from earlier runs in the same work directory. */
  static void start(LocalCluster cluster, int nodes, int port, Path models, String heap)
      throws IOException, InterruptedException {
    List<String> reused = cluster.reusedState(nodes, models);
    cluster.start(nodes, port, models, heap);
    if (!reused.isEmpty()) {
      System.out.println("kept from earlier runs (./modernbert cluster stop, then cluster start --fresh, starts empty):");
      reused.forEach(line -> System.out.println("  " + line));
    }
  }

  /**
   * The options of a cluster or bench command: {@code valued} names those it takes, each with a value; anything
   * else (an unknown option, a stray argument) is refused before the command does any work.
   */
  static Args options(List<String> argv, String... valued) {
    Args a = Args.parse(argv, Set.of(), Set.of(valued));
    requireNoPositional(a);
    return a;
  }

  private static void requireNoPositional(Args a) {
    if (!a.positional().isEmpty()) {
      throw new UsageException("unexpected argument " + a.positional().get(0));
    }
  }
}
