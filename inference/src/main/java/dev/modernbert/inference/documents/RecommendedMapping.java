package dev.modernbert.inference.documents;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mappings both editions recommend for the {@code modernbert_embedding} processor, writing {@code field} into
 * {@code <field>_chunks} and {@code <field>_vector}: the text field and each passage's text analyzed with
 * {@code analyzer} (for keyword search next to the vectors), passages as {@code nested} objects with their offsets,
 * token count and array element, and the model and its document prefix as {@code _meta}. Each edition gives its own
 * vector field ({@code knn_vector} or {@code dense_vector}).
 */
public final class RecommendedMapping {
  private RecommendedMapping() {}

  /** The {@code mappings} object, with {@code vectorField} as both the passage and the document vector. */
  public static Map<String, Object> mappings(String model, String documentPrefix, String field, String analyzer,
      Map<String, Object> vectorField) {
    Map<String, Object> text = object("type", "text", "analyzer", analyzer);
    Map<String, Object> passage = new LinkedHashMap<>();
    passage.put("text", text);
    for (String n : new String[] {"start", "end", "tokens", "element"}) {
      passage.put(n, object("type", "integer"));
    }
    passage.put("embedding", vectorField);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(field, text);
    properties.put(field + "_chunks", object("type", "nested", "properties", passage));
    properties.put(field + "_vector", vectorField);
    Map<String, Object> mappings = new LinkedHashMap<>();
    mappings.put("_meta", object("model", model, "prefix", documentPrefix));
    mappings.put("properties", properties);
    return mappings;
  }

  /** A JSON object of these names and values, in this order (the order a reader of the mapping sees). */
  public static Map<String, Object> object(Object... namesAndValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      out.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return out;
  }
}
