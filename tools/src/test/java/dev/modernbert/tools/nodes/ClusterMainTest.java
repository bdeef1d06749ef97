package dev.modernbert.tools.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modernbert.tools.cli.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cluster and bench commands refuse what they cannot honour — an unknown option, a stray argument, a value
 * below what the command needs — before they start a node or read the corpus.
 */
class ClusterMainTest {
  private static String refusal(String... argv) {
    return assertThrows(UsageException.class, () -> ClusterMain.run(List.of(argv))).getMessage();
  }

  @Test
  void aValueBelowWhatTheCommandNeedsIsRefusedNamingTheOption() {
    assertEquals("--clients must be at least 2, got 1", refusal("bench", "vs-neural", "--clients", "1"));
    assertEquals("--rounds must be at least 1, got 0", refusal("bench", "ingest", "--rounds", "0"));
    assertEquals("--chunks must be at least 1, got 0", refusal("bench", "query", "--chunks", "10,0"));
    assertEquals("--nodes must be at least 1, got 0", refusal("cluster", "start", "--nodes", "0"));
  }

  @Test
  void anUnknownOptionOrStrayArgumentIsRefused() {
    assertEquals("unknown option --doc", refusal("bench", "ingest", "--doc", "5"));
    assertEquals("unknown option --clients", refusal("demo", "--clients", "3"));
    assertEquals("unexpected argument now", refusal("cluster", "stop", "now"));
    assertEquals("--docs needs a value", refusal("demo", "--docs"));
  }

  @Test
  void anUnknownCommandIsRefused() {
    assertEquals("unknown cluster command restart", refusal("cluster", "restart"));
  }
}
