package dev.modernbert.inference.query;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A bounded least-recently-used map from query text (with its model and prefix) to its vector, so a repeated
 * question costs no inference. Thread-safe; a capacity of 0 disables caching.
 */
public final class QueryVectorCache {
  /** What a vector depends on; {@code prefix} {@code null} stands for the model's own query prefix. */
  public record Key(String model, String prefix, String text) {
    public Key {
      Objects.requireNonNull(model);
      Objects.requireNonNull(text);
    }
  }

  private int capacity;
  private final LinkedHashMap<Key, float[]> entries;

  public QueryVectorCache(int capacity) {
    this.capacity = checked(capacity);
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, float[]> eldest) {
        return size() > QueryVectorCache.this.capacity;
      }
    };
  }

  /** The cached vector (a copy), or {@code null}. */
  public synchronized float[] get(Key key) {
    float[] v = entries.get(key);
    return v == null ? null : v.clone();
  }

  public synchronized void put(Key key, float[] vector) {
    if (capacity > 0) {
      entries.put(key, vector.clone());
    }
  }

  public synchronized int size() {
    return entries.size();
  }

  /** Changes the capacity; the least recently used entries beyond it are dropped now. */
  public synchronized void setCapacity(int capacity) {
    this.capacity = checked(capacity);
    Iterator<Key> eldestFirst = entries.keySet().iterator();
    while (entries.size() > capacity) {
      eldestFirst.next();
      eldestFirst.remove();
    }
  }

  private static int checked(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("cache capacity must be >= 0, got " + capacity);
    }
    return capacity;
  }
}
