package dev.modernbert.inference.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QueryVectorCacheTest {
  private static QueryVectorCache.Key key(String text) {
    return new QueryVectorCache.Key("m", "検索クエリ: ", text);
  }

  @Test
  void evictsTheLeastRecentlyUsedEntry() {
    QueryVectorCache cache = new QueryVectorCache(2);
    cache.put(key("a"), new float[] {1});
    cache.put(key("b"), new float[] {2});
    cache.get(key("a"));
    cache.put(key("c"), new float[] {3});
    assertEquals(2, cache.size());
    assertNull(cache.get(key("b")));
    assertArrayEquals(new float[] {1}, cache.get(key("a")));
    assertArrayEquals(new float[] {3}, cache.get(key("c")));
  }

  @Test
  void keysDifferByModelAndPrefix() {
    QueryVectorCache cache = new QueryVectorCache(4);
    cache.put(key("a"), new float[] {1});
    assertNull(cache.get(new QueryVectorCache.Key("other", "検索クエリ: ", "a")));
    assertNull(cache.get(new QueryVectorCache.Key("m", "", "a")));
  }

  @Test
  void callersCannotChangeCachedVectors() {
    QueryVectorCache cache = new QueryVectorCache(1);
    float[] v = {1, 2};
    cache.put(key("a"), v);
    v[0] = 9;
    cache.get(key("a"))[1] = 9;
    assertArrayEquals(new float[] {1, 2}, cache.get(key("a")));
  }

  @Test
  void aSmallerCapacityDropsTheLeastRecentlyUsedAndALargerOneKeepsMore() {
    QueryVectorCache cache = new QueryVectorCache(3);
    cache.put(key("a"), new float[] {1});
    cache.put(key("b"), new float[] {2});
    cache.put(key("c"), new float[] {3});
    cache.get(key("a"));
    cache.setCapacity(1);
    assertEquals(1, cache.size());
    assertArrayEquals(new float[] {1}, cache.get(key("a")), "the most recently used stays");
    cache.setCapacity(2);
    cache.put(key("b"), new float[] {2});
    assertEquals(2, cache.size());
    cache.setCapacity(0);
    cache.put(key("c"), new float[] {3});
    assertEquals(0, cache.size());
    assertThrows(IllegalArgumentException.class, () -> cache.setCapacity(-1));
  }

  @Test
  void capacityZeroCachesNothingAndNegativeIsRefused() {
    QueryVectorCache cache = new QueryVectorCache(0);
    cache.put(key("a"), new float[] {1});
    assertNull(cache.get(key("a")));
    assertThrows(IllegalArgumentException.class, () -> new QueryVectorCache(-1));
  }
}
