package dev.modernbert.inference.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sentence-transformers metadata decides pooling, prompts and the token limit. */
class EmbeddingProfileTest {
  @TempDir Path dir;

  @Test
  void readsTheRuriMetadataOfARandomCheckpoint() {
    ModelFolder f = ModelFolder.open(TestModels.folder(ModelShape.TINY));
    assertEquals(Pooling.MEAN, f.profile().pooling());
    assertEquals("検索クエリ: ", f.profile().queryPrefix());
    assertEquals("検索文書: ", f.profile().documentPrefix());
    assertEquals(8192, f.maxTokens());
  }

  @Test
  void ruriPrefixesAreKnownWhenNotDeclared() throws IOException {
    Path copy = TestModels.copy(TestModels.folder(ModelShape.TINY), dir.resolve("undeclared"));
    Files.delete(copy.resolve(EmbeddingProfile.PROMPTS_FILE));
    EmbeddingProfile p = EmbeddingProfile.read(copy, 102400);
    assertEquals(EmbeddingProfile.RURI_QUERY_PREFIX, p.queryPrefix());
    assertEquals("", EmbeddingProfile.read(copy, 30522).queryPrefix(), "other vocabularies get no prefix");
  }

  @Test
  void clsPoolingAndUnsupportedModes() throws IOException {
    Path copy = TestModels.copy(TestModels.folder(ModelShape.TINY), dir.resolve("cls"));
    Path pooling = copy.resolve("1_Pooling/config.json");
    Files.writeString(pooling, "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}");
    assertEquals(Pooling.CLS, EmbeddingProfile.read(copy, 102400).pooling());
    Files.writeString(pooling, "{\"pooling_mode_max_tokens\": true}");
    assertTrue(assertThrows(InvalidModelException.class, () -> EmbeddingProfile.read(copy, 102400))
        .getMessage().contains("pooling_mode_max_tokens"));
  }

  @Test
  void modulePathsCannotLeaveTheFolder() throws IOException {
    Path copy = TestModels.copy(TestModels.folder(ModelShape.TINY), dir.resolve("escape"));
    Files.writeString(copy.resolve(EmbeddingProfile.MODULES_FILE),
        "[{\"path\": \"../../x\", \"type\": \"sentence_transformers.models.Pooling\"}]");
    assertTrue(assertThrows(InvalidModelException.class, () -> EmbeddingProfile.read(copy, 102400))
        .getMessage().contains("not a plain sub-folder"));
  }

  @Test
  void aModulesFileThatIsNotAListOrTooLargeIsNamed() throws IOException {
    Path copy = TestModels.copy(TestModels.folder(ModelShape.TINY), dir.resolve("modules"));
    Path modules = copy.resolve(EmbeddingProfile.MODULES_FILE);
    Files.writeString(modules, "{\"path\": \"1_Pooling\"}");
    assertEquals("modules.json: not a JSON array",
        assertThrows(InvalidModelException.class, () -> EmbeddingProfile.read(copy, 102400)).getMessage());
    Files.writeString(modules, "[" + " ".repeat((int) JsonFiles.MAX_CONFIG_BYTES) + "]");
    assertTrue(assertThrows(InvalidModelException.class, () -> EmbeddingProfile.read(copy, 102400))
        .getMessage().startsWith("modules.json: 1048578 bytes exceeds the limit"));
  }
}
