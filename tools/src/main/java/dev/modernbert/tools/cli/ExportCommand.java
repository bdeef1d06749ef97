package dev.modernbert.tools.cli;

import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.onnx.CompileOptions;
import dev.modernbert.inference.onnx.OnnxExport;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code export --model DIR --out DIR [--attention full|blocked]}: a ModernBERT checkpoint as an exported-ONNX
 * folder (graph with {@code last_hidden_state} only, {@code tokenizer.json}, metadata) for runtimes that pool
 * outside the graph. {@code full} (the default) is what a Hugging Face export computes.
 */
final class ExportCommand implements Main.Command {
  @Override
  public void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of(), Set.of("model", "out", "attention"));
    CompileOptions.AttentionMode attention;
    try {
      attention = CompileOptions.AttentionMode.parse(a.get("attention", "full"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Path out = Path.of(a.required("out"));
    try {
      OnnxExport.write(ModelFolder.open(Path.of(a.required("model"))), attention, out);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    System.err.println("exported " + a.required("model") + " to " + out);
  }

  @Override
  public String usage() {
    return "export --model DIR --out DIR [--attention full|blocked]";
  }
}
