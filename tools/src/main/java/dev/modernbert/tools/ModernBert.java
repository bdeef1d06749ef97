package dev.modernbert.tools;

import dev.modernbert.tools.cli.Main;
import dev.modernbert.tools.nodes.ClusterMain;
import java.util.Set;

/**
 * The entry point of {@code ./modernbert}: commands that run real OpenSearch nodes go to {@link ClusterMain},
 * every other command (engine, tokenizer, checkpoints, engine benchmarks) to {@link Main}.
 */
public final class ModernBert {
  private static final Set<String> NODE_BENCHMARKS = Set.of("query", "ingest", "vs-neural");

  private ModernBert() {}

  public static void main(String[] argv) {
    if (runsOnNodes(argv)) {
      ClusterMain.main(argv);
    } else {
      Main.main(argv);
    }
  }

  static boolean runsOnNodes(String[] argv) {
    if (argv.length == 0) {
      return false;
    }
    return argv[0].equals("cluster") || argv[0].equals("demo")
        || (argv[0].equals("bench") && argv.length > 1 && NODE_BENCHMARKS.contains(argv[1]));
  }
}
