package dev.modernbert.tools.cli;

import dev.modernbert.inference.tokenizer.ModelTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code tokenize --model DIR [--jsonl]}: {@code {"index", "ids"}} per input, ids framed by {@code <s> </s>}. */
final class TokenizeCommand implements Main.Command {
  @Override
  public void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("jsonl"), Set.of("model"));
    try (ModelTokenizer tokenizer = ModelTokenizer.load(Path.of(a.required("model")));
        JsonLines out = new JsonLines(System.out)) {
      List<String> texts = TextInput.read(System.in, a.flag("jsonl"));
      for (int i = 0; i < texts.size(); i++) {
        out.begin(i);
        out.ints("ids", tokenizer.ids(texts.get(i)));
        out.end();
      }
    }
  }

  @Override
  public String usage() {
    return "tokenize --model DIR [--jsonl]";
  }
}
