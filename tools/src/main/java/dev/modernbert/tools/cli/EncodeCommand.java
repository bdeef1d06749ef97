package dev.modernbert.tools.cli;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.Quantization;
import dev.modernbert.inference.engine.TextEmbedder;
import dev.modernbert.inference.onnx.CompileOptions.AttentionMode;
import dev.modernbert.inference.reference.ReferenceEncoder;
import dev.modernbert.inference.runtime.DeviceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code embed} ({@code {"index", "tokens", "embedding"}}) and {@code hidden}
 * ({@code {"index", "last_hidden_state"}}) over the texts on stdin.
 */
final class EncodeCommand implements Main.Command {
  private final boolean hidden;

  EncodeCommand(boolean hidden) {
    this.hidden = hidden;
  }

  @Override
  public void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("jsonl", "no-normalize"),
        Set.of("model", "prefix", "max-tokens", "engine", "attention", "device", "threads", "quantization"));
    EngineSettings settings = settings(a);
    boolean reference = engineIsReference(a);
    String prefix = a.get("prefix", "");
    List<String> texts = TextInput.read(System.in, a.flag("jsonl"));
    Path dir = Path.of(a.required("model"));
    try (LoadedModel model = reference
            ? LoadedModel.load(dir, folder -> new ReferenceEncoder(folder.loadWeights(), folder.profile().pooling()))
            : LoadedModel.load(dir, settings);
        JsonLines out = new JsonLines(System.out)) {
      int limit = model.folder().maxTokens();
      int maxTokens = a.intValue("max-tokens", limit);
      if (maxTokens < 2 || maxTokens > limit) {
        throw new UsageException("--max-tokens must be between 2 and " + limit);
      }
      TextEmbedder embedder = model.embedder(maxTokens);
      if (hidden) {
        writeHidden(out, embedder.hidden(texts, prefix));
      } else {
        writeEmbeddings(out, embedder.embed(texts, prefix, !a.flag("no-normalize")));
      }
    }
  }

  /** {@code --engine reference} runs the plain-Java oracle instead of the compiled graph. */
  private static boolean engineIsReference(Args a) {
    return switch (a.get("engine", "onnx")) {
      case "onnx" -> false;
      case "reference" -> true;
      default -> throw new UsageException("--engine must be onnx or reference");
    };
  }

  /** Engine options shared by every command that runs the model. */
  static EngineSettings settings(Args a) {
    try {
      return EngineSettings.defaults()
          .withAttention(AttentionMode.parse(a.get("attention", "blocked")))
          .withDevice(DeviceSpec.parse(a.get("device", "auto")))
          .withThreads(a.intValue("threads", 0, 0))
          .withQuantization(Quantization.parse(a.get("quantization", "none")));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void writeEmbeddings(JsonLines out, List<TextEmbedder.Embedding> embeddings) throws Exception {
    for (int i = 0; i < embeddings.size(); i++) {
      out.begin(i).writeNumberField("tokens", embeddings.get(i).tokens());
      out.floats("embedding", embeddings.get(i).vector());
      out.end();
    }
  }

  private static void writeHidden(JsonLines out, List<float[][]> states) throws Exception {
    for (int i = 0; i < states.size(); i++) {
      var g = out.begin(i);
      g.writeArrayFieldStart("last_hidden_state");
      for (float[] row : states.get(i)) {
        g.writeStartArray();
        for (float v : row) {
          g.writeNumber(v);
        }
        g.writeEndArray();
      }
      g.writeEndArray();
      out.end();
    }
  }

  @Override
  public String usage() {
    return (hidden ? "hidden" : "embed") + " --model DIR [--prefix P] [--max-tokens N] [--engine onnx|reference]"
        + " [--attention blocked|full] [--device auto|cpu|cuda|cuda:N] [--threads N] [--quantization none|int8]"
        + " [--jsonl]"
        + (hidden ? "" : " [--no-normalize]");
  }
}
