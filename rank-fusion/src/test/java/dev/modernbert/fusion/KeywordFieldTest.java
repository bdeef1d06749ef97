package dev.modernbert.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keyword side's text field on a mapping of nested passages, a flat vector and fields of other types. */
class KeywordFieldTest {
  private static final Map<String, String> TYPES = Map.of("chunks.embedding", "knn_vector", "chunks.text", "text",
      "chunks.tag", "keyword", "doc_vector", "knn_vector", "body", "text", "other.text", "text");
  private static final Map<String, String> PATHS = Map.of("chunks.embedding", "chunks", "chunks.text", "chunks",
      "chunks.tag", "chunks", "other.text", "other");
  private static final KeywordField.Mapping MAPPING = new KeywordField.Mapping() {
    @Override
    public String index() {
      return "docs";
    }

    @Override
    public String typeName(String field) {
      return TYPES.get(field);
    }

    @Override
    public String nestedPath(String field) {
      return PATHS.get(field);
    }
  };

  private static String refused(String vectorField, String textField) {
    return assertThrows(IllegalArgumentException.class,
        () -> KeywordField.resolve("q", vectorField, textField, MAPPING)).getMessage();
  }

  @Test
  void thePassagesTextByDefaultOrAnyTextFieldBesideTheVectors() {
    assertEquals("chunks.text", KeywordField.resolve("q", "chunks.embedding", null, MAPPING));
    assertEquals("chunks.text", KeywordField.resolve("q", "chunks.embedding", "chunks.text", MAPPING));
    assertEquals("body", KeywordField.resolve("q", "doc_vector", "body", MAPPING));
  }

  @Test
  void fieldsThatCannotBeRankedBesideTheVectorsAreRefusedByName() {
    assertTrue(refused("doc_vector", null).contains("[q] needs [text_field]"));
    assertTrue(refused("chunks.embedding", "chunks.tag").contains("must be a text field of index [docs], but it is"
        + " of type keyword"));
    assertTrue(refused("chunks.embedding", "missing").contains("not mapped"));
    assertTrue(refused("chunks.embedding", "body").contains("must be inside [chunks]"));
    assertTrue(refused("chunks.embedding", "other.text").contains("must be inside [chunks]"));
    assertTrue(refused("doc_vector", "chunks.text").contains("must be outside nested fields"));
  }
}
