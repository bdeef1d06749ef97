package dev.modernbert.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(5, Stats.median(new double[] {8, 2, 4, 6}));
    assertEquals(4, Stats.median(new double[] {9, 4, 1}));
  }

  @Test
  void upperMedianIsAlwaysOneOfTheValues() {
    assertEquals(6, Stats.upperMedian(new double[] {8, 2, 4, 6}));
    assertEquals(4, Stats.upperMedian(new double[] {9, 4, 1}));
    assertEquals(7, Stats.upperMedian(new double[] {7}));
  }

  @Test
  void neitherReordersItsInput() {
    double[] values = {3, 1, 2};
    Stats.median(values);
    Stats.upperMedian(values);
    assertEquals(3, values[0]);
    assertEquals(1, values[1]);
  }
}
