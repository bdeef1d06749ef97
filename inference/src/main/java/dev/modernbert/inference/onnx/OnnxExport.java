package dev.modernbert.inference.onnx;

import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.tokenizer.SentencePieceTokenizerJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a ModernBERT checkpoint as an exported-ONNX folder: {@code model.onnx} (+ external data) whose only
 * output is {@code last_hidden_state}, a {@code tokenizer.json}, and the checkpoint's small metadata files
 * (config, sentence-transformers pooling and prompts, licenses). Any runtime that pools outside the graph can
 * serve it — this project's own exported-ONNX path, or ml-commons. Its layers run on every slot, as a Hugging
 * Face export's do, without {@link TokenPacking}: ml-commons gives it one text per call, with nothing to unpad.
 */
public final class OnnxExport {
  private static final String TOKENIZER_JSON = "tokenizer.json";

  private OnnxExport() {}

  /** Exports {@code folder} to the new or empty directory {@code out}. */
  public static void write(ModelFolder folder, CompileOptions.AttentionMode attention, Path out) throws IOException {
    if (folder.format() != ModelFolder.Format.MODERNBERT_CHECKPOINT) {
      throw new IllegalArgumentException(folder.dir() + " is already an exported ONNX folder");
    }
    if (Files.exists(out) && (!Files.isDirectory(out) || hasFiles(out))) {
      throw new IllegalArgumentException(out + " exists and is not an empty directory");
    }
    Files.createDirectories(out);
    FileTrees.copy(folder.dir(), out, OnnxExport::isMetadata);
    if (!Files.isRegularFile(out.resolve(TOKENIZER_JSON))) {
      Files.writeString(out.resolve(TOKENIZER_JSON), SentencePieceTokenizerJson.build(folder.dir()),
          StandardCharsets.UTF_8);
    }
    CompiledModelCache.compileInto(folder, new CompileOptions(attention, null, false).withPackedTokens(false), out);
  }

  /** Small files other runtimes read; never weights, the SentencePiece model or a compile cache. */
  private static boolean isMetadata(Path file) {
    String name = file.getFileName().toString();
    return !file.toString().contains(CompiledModelCache.DEFAULT_DIR) && !name.endsWith(".safetensors")
        && !name.equals("model.safetensors.index.json") && !name.equals(SentencePieceTokenizerJson.MODEL_FILE);
  }

  private static boolean hasFiles(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isPresent();
    }
  }
}
