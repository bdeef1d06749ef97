package dev.modernbert.fusion;

import java.util.Objects;

/**
 * The text field that the keyword side of a hybrid query ranks, checked against the index's mapping: by default
 * the {@code text} of the nested passages that hold the vector field; always a {@code text} field in the same
 * nested object as the vectors (or, like them, outside nested objects), so that each passage, or document, is
 * ranked by its own text. One rule for both editions; each gives its mapping as {@link Mapping}.
 */
public final class KeywordField {
  private KeywordField() {}

  /** What the rule reads of an index's mapping. */
  public interface Mapping {
    /** The index's name, for errors. */
    String index();

    /** The mapped type of {@code field} ({@code "text"}, {@code "keyword"}, ...), or {@code null} if unmapped. */
    String typeName(String field);

    /** The nested object that holds {@code field}, or {@code null} when it is outside nested objects. */
    String nestedPath(String field);
  }

  /**
   * The text field to rank.
   *
   * @param query the query's name, for errors
   * @param vectorField the field of the passages' vectors
   * @param textField the text field the query names, or {@code null} for the default
   * @throws IllegalArgumentException naming the query and the field, when there is no default or the field cannot
   *     be ranked beside the vectors
   */
  public static String resolve(String query, String vectorField, String textField, Mapping mapping) {
    String path = mapping.nestedPath(vectorField);
    String text = textField != null ? textField : path != null ? path + ".text" : null;
    if (text == null) {
      throw new IllegalArgumentException("[" + query + "] needs [text_field] when [field] is not inside a nested field");
    }
    String type = mapping.typeName(text);
    if (!"text".equals(type)) {
      throw new IllegalArgumentException("[" + query + "] [text_field] [" + text + "] must be a text field of index ["
          + mapping.index() + "], but it is " + (type == null ? "not mapped" : "of type " + type));
    }
    if (!Objects.equals(path, mapping.nestedPath(text))) {
      throw new IllegalArgumentException("[" + query + "] [text_field] [" + text + "] must be "
          + (path == null ? "outside nested fields, as [" + vectorField + "] is," : "inside [" + path
              + "], the nested passages that hold [" + vectorField + "],") + " so that each is ranked by its own text");
    }
    return text;
  }
}
