package dev.modernbert.inference.cli;

import dev.modernbert.inference.engine.Encoder;
import dev.modernbert.inference.engine.TextEmbedder;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.reference.ReferenceEncoder;
import dev.modernbert.inference.tokenizer.ModelTokenizer;
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
    Args a = Args.parse(argv, Set.of("jsonl", "no-normalize"), Set.of("model", "prefix", "max-tokens", "engine"));
    ModelFolder folder = ModelFolder.open(Path.of(a.required("model")));
    int maxTokens = a.intValue("max-tokens", folder.maxTokens());
    if (maxTokens < 2 || maxTokens > folder.maxTokens()) {
      throw new UsageException("--max-tokens must be between 2 and " + folder.maxTokens());
    }
    String engine = a.get("engine", "reference");
    if (!engine.equals("reference")) {
      throw new UsageException("--engine must be reference");
    }
    String prefix = a.get("prefix", "");
    List<String> texts = TextInput.read(System.in, a.flag("jsonl"));
    try (ModelTokenizer tokenizer = ModelTokenizer.load(folder.dir());
        Encoder encoder = new ReferenceEncoder(folder.loadWeights());
        JsonLines out = new JsonLines(System.out)) {
      TextEmbedder embedder = new TextEmbedder(tokenizer, encoder, folder.profile().pooling(), maxTokens);
      if (hidden) {
        writeHidden(out, embedder.hidden(texts, prefix));
      } else {
        writeEmbeddings(out, embedder.embed(texts, prefix, !a.flag("no-normalize")));
      }
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
    return (hidden ? "hidden" : "embed") + " --model DIR [--prefix P] [--max-tokens N] [--engine reference] [--jsonl]"
        + (hidden ? "" : " [--no-normalize]");
  }
}
