package dev.modernbert.cluster;

import com.fasterxml.jackson.databind.JsonNode;

/** Vectors as the REST APIs return them: JSON arrays of numbers. */
public final class VectorJson {
  private VectorJson() {}

  /** The numbers of {@code array} as floats. */
  public static float[] floats(JsonNode array) {
    float[] v = new float[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) array.get(i).asDouble();
    }
    return v;
  }
}
