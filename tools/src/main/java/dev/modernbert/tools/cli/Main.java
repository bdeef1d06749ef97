package dev.modernbert.tools.cli;

import dev.modernbert.inference.model.InvalidModelException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ./modernbert} command line. Each command reads texts from stdin and writes one JSON object per
 * input, in input order; a failure exits non-zero with a one-line reason on stderr.
 */
public final class Main {
  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("tokenize", new TokenizeCommand());
    COMMANDS.put("embed", new EncodeCommand(false));
    COMMANDS.put("hidden", new EncodeCommand(true));
    COMMANDS.put("chunk", new ChunkCommand());
    COMMANDS.put("random-model", new RandomModelCommand());
    COMMANDS.put("download", new DownloadCommand());
    COMMANDS.put("export", new ExportCommand());
    COMMANDS.put("bench", new BenchCommand());
  }

  /** The commands that need a real node ({@code dev.modernbert.tools.nodes}), named in the usage. */
  private static final String NODE_COMMANDS = "on a real OpenSearch node (or Elasticsearch: --engine elasticsearch):"
      + " cluster start|stop|status, demo, bench query|ingest|vs-neural (README.md, \"Command line\")";

  private Main() {}

  /** A subcommand. */
  interface Command {
    void run(List<String> args) throws Exception;

    String usage();
  }

  public static void main(String[] argv) {
    System.exit(run(argv, System.err));
  }

  static int run(String[] argv, PrintStream err) {
    if (argv.length == 0 || !COMMANDS.containsKey(argv[0])) {
      err.println(argv.length == 0 ? "usage: modernbert COMMAND [options]" : "unknown command: " + argv[0]);
      COMMANDS.forEach((name, c) -> err.println("  " + c.usage()));
      err.println(NODE_COMMANDS);
      return 2;
    }
    Command c = COMMANDS.get(argv[0]);
    try {
      c.run(Arrays.asList(argv).subList(1, argv.length));
      return 0;
    } catch (UsageException e) {
      err.println("modernbert " + argv[0] + ": " + e.getMessage() + "\nusage: " + c.usage());
      return 2;
    } catch (InvalidModelException e) {
      err.println("modernbert " + argv[0] + ": invalid model: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("modernbert " + argv[0] + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 1;
    }
  }
}
