package dev.modernbert.cluster;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./modernbert cluster start|stop|status} (and {@code demo}): local OpenSearch nodes with k-NN and this
 * plugin. The cluster lives in {@code .cluster/} of the repository (or {@code -Dmodernbert.cluster.dir}).
 */
public final class ClusterMain {
  private ClusterMain() {}

  public static void main(String[] argv) {
    String command = "modernbert " + (argv.length > 0 ? argv[0] : "") + ": ";
    try {
      System.exit(run(Arrays.asList(argv)));
    } catch (IllegalArgumentException | IllegalStateException e) {
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

  static LocalCluster cluster() throws java.io.IOException {
    return new LocalCluster(workDir(), artifacts());
  }

  /** The distribution, k-NN and plugin zips the build copied. */
  static LocalCluster.Artifacts artifacts() throws java.io.IOException {
    return LocalCluster.Artifacts.in(Path.of(System.getProperty("modernbert.artifacts", "test-cluster/target/artifacts")));
  }

  static int run(List<String> argv) throws Exception {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("usage: cluster start|stop|status | demo | bench query|ingest|vs-neural");
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
      throw new IllegalArgumentException("usage: cluster start [--nodes N] [--http-port P] [--model-dir DIR]"
          + " [--heap 2g] | cluster stop | cluster status");
    }
    LocalCluster cluster = cluster();
    switch (argv.get(1)) {
      case "start" -> {
        int nodes = intOption(argv, "--nodes", 1, 1);
        int port = intOption(argv, "--http-port", 9200, 1);
        String models = option(argv, "--model-dir", null);
        cluster.start(nodes, port, models == null ? null : Path.of(models), option(argv, "--heap", nodes > 1 ? "1g" : "2g"));
        System.out.println("cluster green: " + nodes + " node(s), http://127.0.0.1:" + port);
      }
      case "stop" -> System.out.println("stopped " + cluster.stop() + " node(s)");
      case "status" -> {
        int port = cluster.httpPort(0);
        Http.Response r = new Http(port).get("/_cluster/health");
        System.out.println("http://127.0.0.1:" + port + " " + r.body().toString());
      }
      default -> throw new IllegalArgumentException("unknown cluster command " + argv.get(1));
    }
    return 0;
  }

  static String option(List<String> argv, String name, String fallback) {
    int i = argv.indexOf(name);
    if (i < 0) {
      return fallback;
    }
    if (i + 1 >= argv.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return argv.get(i + 1);
  }

  /** The integer value of option {@code name}, or {@code fallback}; refuses a value below {@code min}. */
  static int intOption(List<String> argv, String name, int fallback, int min) {
    String v = option(argv, name, null);
    int value;
    try {
      value = v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got " + v);
    }
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  /** The comma-separated integers of option {@code name}, or {@code fallback}'s; refuses any below {@code min}. */
  static int[] intsOption(List<String> argv, String name, String fallback, int min) {
    String v = option(argv, name, fallback);
    int[] values;
    try {
      values = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be comma-separated integers, got " + v);
    }
    if (Arrays.stream(values).anyMatch(x -> x < min)) {
      throw new IllegalArgumentException(name + " must be at least " + min + " each, got " + v);
    }
    return values;
  }
}
