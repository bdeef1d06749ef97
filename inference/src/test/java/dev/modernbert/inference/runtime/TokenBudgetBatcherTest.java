package dev.modernbert.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenBudgetBatcherTest {
  @Test
  void everySequenceOnceAndBatchesWithinBudget() {
    SplittableRandom r = new SplittableRandom(3);
    int[] lengths = new int[500];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = 1 + r.nextInt(3000);
    }
    List<int[]> plan = new TokenBudgetBatcher(8192, 1.0).plan(lengths);
    boolean[] seen = new boolean[lengths.length];
    long padded = 0;
    long real = 0;
    for (int[] batch : plan) {
      int longest = Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
      assertTrue(batch.length == 1 || batch.length * longest <= 8192, "within budget");
      for (int i : batch) {
        assertTrue(!seen[i], "each sequence once");
        seen[i] = true;
        real += lengths[i];
      }
      padded += (long) batch.length * longest;
    }
    for (boolean s : seen) {
      assertTrue(s);
    }
    assertTrue((padded - real) / (double) padded < 0.05, "sorting keeps padding small: " + (padded - real) / (double) padded);
  }

  @Test
  void paddingIsBoundedAndLongSequencesOnlyJoinEqualLengths() {
    int[] lengths = {200, 60, 190, 100, 170, 95, 120, 2000, 2000, 1900};
    List<int[]> plan = new TokenBudgetBatcher(1 << 16, 0.2).plan(lengths);
    for (int[] batch : plan) {
      int longest = Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
      for (int i : batch) {
        assertTrue(lengths[i] >= 0.8 * longest, "at most 20% padding: " + Arrays.toString(batch));
      }
    }
    assertArrayEquals(new int[] {7, 8}, plan.get(0), "equal long lengths share a batch");
    assertArrayEquals(new int[] {9}, plan.get(1), "a shorter long sequence runs alone");
    assertEquals(List.of(3, 2, 1, 1), plan.subList(2, plan.size()).stream().map(b -> b.length).toList(),
        "200,190,170 | 120,100 | 95 | 60");
  }

  @Test
  void oversizedSequenceRunsAlone() {
    List<int[]> plan = new TokenBudgetBatcher(100, 1.0).plan(new int[] {50, 500, 50});
    assertEquals(2, plan.size());
    assertEquals(1, plan.get(0).length);
    assertEquals(1, plan.get(0)[0]);
    assertEquals(2, plan.get(1).length);
  }
}
