package dev.modernbert.inference.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.model.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSQuAD validation set (JGLUE, CC BY-SA 4.0) as paragraphs and questions: a real Japanese corpus for
 * tests, benchmarks and the demo. Each context is "title [SEP] text"; the title and the text are kept apart.
 */
public record JsquadCorpus(List<Paragraph> paragraphs, List<Question> questions) {
  /** Where the repository keeps the data set, relative to its root. */
  public static final String REPO_PATH = "data/jsquad/valid-v1.3.json";
  private static final String SEPARATOR = " [SEP] ";

  /** One Wikipedia paragraph. */
  public record Paragraph(String title, String text) {}

  /** A question whose answer lies in paragraph {@code paragraph}. */
  public record Question(String text, int paragraph, String answer) {}

  /** Reads the SQuAD-format file at {@code file}. */
  public static JsquadCorpus read(Path file) throws IOException {
    JsonNode root = JsonFiles.mapper().readTree(Files.readAllBytes(file));
    List<Paragraph> paragraphs = new ArrayList<>();
    List<Question> questions = new ArrayList<>();
    for (JsonNode article : root.path("data")) {
      for (JsonNode p : article.path("paragraphs")) {
        String context = p.path("context").asText();
        int sep = context.indexOf(SEPARATOR);
        String title = sep < 0 ? article.path("title").asText() : context.substring(0, sep);
        paragraphs.add(new Paragraph(title, sep < 0 ? context : context.substring(sep + SEPARATOR.length())));
        for (JsonNode q : p.path("qas")) {
          JsonNode answers = q.path("answers");
          questions.add(new Question(q.path("question").asText(), paragraphs.size() - 1,
              answers.isEmpty() ? "" : answers.get(0).path("text").asText()));
        }
      }
    }
    return new JsquadCorpus(List.copyOf(paragraphs), List.copyOf(questions));
  }

  /**
   * Locates the data set: under {@code -Dmodernbert.repo} when set, else from the working directory or any
   * parent (the repository root holds it).
   */
  public static Path locate() {
    String repo = System.getProperty("modernbert.repo");
    Path dir = repo != null ? Path.of(repo).toAbsolutePath() : Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve(REPO_PATH);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(REPO_PATH + " not found from " + Path.of("").toAbsolutePath());
  }
}
