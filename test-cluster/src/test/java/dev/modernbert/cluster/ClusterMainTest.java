package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Command-line options of the cluster and bench commands: a value the command cannot honour is refused, not bent. */
class ClusterMainTest {
  @Test
  void anIntegerOptionFallsBackOrParses() {
    assertEquals(4, ClusterMain.intOption(List.of("--rounds", "2"), "--clients", 4, 2));
    assertEquals(3, ClusterMain.intOption(List.of("--clients", "3"), "--clients", 4, 2));
  }

  @Test
  void aValueBelowTheMinimumIsRefusedNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterMain.intOption(List.of("--clients", "1"), "--clients", 4, 2));
    assertEquals("--clients must be at least 2, got 1", e.getMessage());
  }

  @Test
  void aMissingOrMalformedValueIsRefused() {
    assertEquals("--docs needs a value", assertThrows(IllegalArgumentException.class,
        () -> ClusterMain.intOption(List.of("--docs"), "--docs", 5, 1)).getMessage());
    assertEquals("--docs must be an integer, got ten", assertThrows(IllegalArgumentException.class,
        () -> ClusterMain.intOption(List.of("--docs", "ten"), "--docs", 5, 1)).getMessage());
  }

  @Test
  void aListOptionParsesEveryValueAndRefusesABadOne() {
    assertArrayEquals(new int[] {10, 20}, ClusterMain.intsOption(List.of(), "--chunks", "10,20", 1));
    assertArrayEquals(new int[] {7}, ClusterMain.intsOption(List.of("--chunks", "7"), "--chunks", "10,20", 1));
    assertEquals("--chunks must be comma-separated integers, got 10,x", assertThrows(IllegalArgumentException.class,
        () -> ClusterMain.intsOption(List.of("--chunks", "10,x"), "--chunks", "10", 1)).getMessage());
    assertEquals("--chunks must be at least 1 each, got 10,0", assertThrows(IllegalArgumentException.class,
        () -> ClusterMain.intsOption(List.of("--chunks", "10,0"), "--chunks", "10", 1)).getMessage());
  }
}
