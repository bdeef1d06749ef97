package dev.modernbert.inference.cli;

import dev.modernbert.inference.model.InvalidModelException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code ./modernbert} command line. Each command reads texts from stdin and writes one JSON object per
 * input, in input order; a failure exits non-zero with a one-line reason on stderr.
 */
public final class Main {
  private static final Map<String, Command> COMMANDS = Map.of(
      "tokenize", new TokenizeCommand(),
      "embed", new EncodeCommand(false),
      "hidden", new EncodeCommand(true),
      "random-model", new RandomModelCommand(),
      "download", new DownloadCommand(),
      "export", new ExportCommand(),
      "chunk", new ChunkCommand(),
      "bench", new BenchCommand());

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
