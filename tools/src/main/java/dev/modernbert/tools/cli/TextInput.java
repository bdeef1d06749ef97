package dev.modernbert.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.model.JsonFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the CLI's input: one text per line, or one JSON string per line with {@code --jsonl}. */
final class TextInput {
  private TextInput() {}

  static List<String> read(InputStream in, boolean jsonl) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    List<String> texts = new ArrayList<>();
    String line;
    while ((line = r.readLine()) != null) {
      texts.add(jsonl ? jsonString(line, texts.size() + 1) : line);
    }
    return texts;
  }

  private static String jsonString(String line, int lineNumber) {
    JsonNode node;
    try {
      node = JsonFiles.mapper().readTree(line);
    } catch (IOException e) {
      throw new UsageException("input line " + lineNumber + " is not valid JSON");
    }
    if (node == null || !node.isTextual()) {
      throw new UsageException("input line " + lineNumber + " is not a JSON string");
    }
    return node.textValue();
  }
}
