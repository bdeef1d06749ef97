package dev.modernbert.tools.cli;

import dev.modernbert.inference.chunking.Boundary;
import dev.modernbert.inference.chunking.Chunk;
import dev.modernbert.inference.chunking.ChunkingOptions;
import dev.modernbert.inference.chunking.DocumentChunker;
import dev.modernbert.inference.chunking.LateChunker;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.tokenizer.ModelTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code chunk --model DIR …}: {@code {"index", "chunks": [{"start", "end", "tokens"}]}} per input. Needs only
 * the tokenizer files and config.json. The prefix defaults to the model's document prefix, since windows
 * count it; with {@code --late-chunk-tokens} the chunks are the late-chunking spans (tokens of the bare span).
 */
final class ChunkCommand implements Main.Command {
  @Override
  public void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("jsonl"),
        Set.of("model", "max-tokens", "overlap-tokens", "boundary", "late-chunk-tokens", "max-chunks", "prefix"));
    ModelFolder folder = ModelFolder.open(Path.of(a.required("model")));
    ChunkingOptions options;
    try {
      options = new ChunkingOptions(a.intValue("max-tokens", folder.maxTokens()), a.intValue("overlap-tokens", 0),
          Boundary.parse(a.get("boundary", "sentence")), a.intValue("late-chunk-tokens", 0),
          a.intValue("max-chunks", ChunkingOptions.DEFAULT_MAX_CHUNKS)).cappedAt(folder.maxTokens());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    String prefix = a.get("prefix", folder.profile().documentPrefix());
    List<String> texts = TextInput.read(System.in, a.flag("jsonl"));
    try (ModelTokenizer tokenizer = ModelTokenizer.load(folder.dir()); JsonLines out = new JsonLines(System.out)) {
      DocumentChunker chunker = new DocumentChunker(tokenizer, options, prefix);
      LateChunker late = options.lateChunkTokens() > 0 ? new LateChunker(tokenizer, null, options, prefix) : null;
      for (int i = 0; i < texts.size(); i++) {
        List<Chunk> chunks = late == null ? chunker.chunk(texts.get(i)) : spans(late, texts.get(i));
        var g = out.begin(i);
        g.writeArrayFieldStart("chunks");
        for (Chunk c : chunks) {
          g.writeStartObject();
          g.writeNumberField("start", c.start());
          g.writeNumberField("end", c.end());
          g.writeNumberField("tokens", c.tokens());
          g.writeEndObject();
        }
        g.writeEndArray();
        out.end();
      }
    }
  }

  private static List<Chunk> spans(LateChunker late, String text) {
    List<Chunk> out = new ArrayList<>();
    late.plan(text).forEach(w -> out.addAll(w.spans()));
    return out;
  }

  @Override
  public String usage() {
    return "chunk --model DIR [--max-tokens N] [--overlap-tokens M] [--boundary sentence|paragraph|none]"
        + " [--late-chunk-tokens K] [--max-chunks C] [--prefix P] [--jsonl]";
  }
}
