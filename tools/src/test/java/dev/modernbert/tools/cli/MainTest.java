package dev.modernbert.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modernbert.inference.testing.TestModels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, through {@link Main#run}, with real files and the real tokenizer. */
class MainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private InputStream savedIn;

  @BeforeEach
  void redirect() {
    savedOut = System.out;
    savedIn = System.in;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setIn(savedIn);
  }

  private int run(String stdin, String... args) {
    out.reset();
    err.reset();
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    return Main.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<JsonNode> lines() throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!l.isEmpty()) {
        nodes.add(new ObjectMapper().readTree(l));
      }
    }
    return nodes;
  }

  @Test
  void randomModelThenEmbedPrintsUnitVectorsInInputOrder() throws Exception {
    Path model = dir.resolve("m");
    assertEquals(0, run("", "random-model", "--shape", "tiny", "--out", model.toString(), "--seed", "3"));
    assertTrue(Files.exists(model.resolve("model.safetensors")));
    assertEquals(0, run("今日は晴れです\n明日は雨です。\n", "embed", "--model", model.toString()));
    List<JsonNode> result = lines();
    assertEquals(2, result.size());
    for (int i = 0; i < 2; i++) {
      assertEquals(i, result.get(i).get("index").asInt());
      JsonNode v = result.get(i).get("embedding");
      assertEquals(64, v.size());
      double sq = 0;
      for (JsonNode x : v) {
        sq += x.asDouble() * x.asDouble();
      }
      assertEquals(1.0, Math.sqrt(sq), 1e-6);
    }
    assertTrue(result.get(0).get("tokens").asInt() >= 3);

    assertEquals(0, run("\"今日は\\n晴れ\"\n", "embed", "--model", model.toString(), "--jsonl", "--no-normalize",
        "--prefix", "検索文書: ", "--max-tokens", "4"));
    JsonNode one = lines().get(0);
    assertEquals(4, one.get("tokens").asInt(), "truncated to --max-tokens");

    assertEquals(0, run("晴れ\n", "hidden", "--model", model.toString()));
    JsonNode h = lines().get(0).get("last_hidden_state");
    assertEquals(3, h.size(), "<s> 晴れ </s>");
    assertEquals(64, h.get(0).size());
  }

  @Test
  void aBenchWithItsOwnJsonFileLeavesTheRecordAlone() throws Exception {
    Path json = dir.resolve("out/batching.json");
    Path record = Path.of("BENCHMARKS.md");
    boolean recordExisted = Files.exists(record);
    String before = recordExisted ? Files.readString(record) : null;
    assertEquals(0, run("", "bench", "batching", "--shape", "tiny", "--lengths", "16", "--budgets", "32", "--runs", "1",
        "--work-dir", dir.resolve("work").toString(), "--json", json.toString()));
    assertEquals("batching", new ObjectMapper().readTree(json.toFile())
        .path("benchmark").asText());
    assertEquals(recordExisted, Files.exists(record), "no BENCHMARKS.md written");
    if (recordExisted) {
      assertEquals(before, Files.readString(record));
    }
    assertFalse(Files.exists(Path.of("bench-results/batching-tiny.json")), "nor the default result file");
  }

  @Test
  void tokenizeNeedsOnlyTheTokenizer() throws Exception {
    assertEquals(0, run("Hello\n晴れ\n", "tokenize", "--model", TestModels.tokenizerOnly().toString()));
    List<JsonNode> result = lines();
    assertEquals("[1,13085,2]", result.get(0).get("ids").toString());
    assertEquals("[1,16416,2]", result.get(1).get("ids").toString());
  }

  @Test
  void chunkPrintsOffsetsThatTileEachInput() throws Exception {
    Path model = dir.resolve("c");
    assertEquals(0, run("", "random-model", "--shape", "tiny", "--out", model.toString()));
    String text = "今日は晴れです。明日は雨でしょう。明後日は曇りです。".repeat(5);
    assertEquals(0, run(text + "\n", "chunk", "--model", model.toString(), "--max-tokens", "24"));
    JsonNode chunks = lines().get(0).get("chunks");
    assertTrue(chunks.size() > 1);
    int expectedStart = 0;
    for (JsonNode c : chunks) {
      assertEquals(expectedStart, c.get("start").asInt());
      assertTrue(c.get("tokens").asInt() <= 24);
      expectedStart = c.get("end").asInt();
    }
    assertEquals(text.length(), expectedStart);
    assertEquals(0, run(text + "\n", "chunk", "--model", model.toString(), "--late-chunk-tokens", "8"));
    assertTrue(lines().get(0).get("chunks").size() >= 5, "late-chunking spans");
  }

  @Test
  void usageNamesEveryCommandIncludingThoseThatRunOnANode() {
    assertEquals(2, run(""));
    String usage = err.toString(StandardCharsets.UTF_8);
    for (String command : List.of("tokenize", "embed", "hidden", "chunk", "random-model", "download", "export",
        "bench engine", "cluster start|stop|status", "demo", "bench query|ingest|vs-neural")) {
      assertTrue(usage.contains(command), command + " missing from:\n" + usage);
    }
  }

  @Test
  void failuresExitNonZeroWithOneLineReasons() {
    assertEquals(2, run("", "nonsense"));
    assertEquals(2, run("", "embed"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--model is required"));
    assertEquals(1, run("x\n", "embed", "--model", dir.resolve("absent").toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("not a directory"));
    assertEquals(2, run("", "random-model", "--shape", "huge", "--out", dir.toString()));
    assertEquals(2, run("{}\n", "tokenize", "--model", TestModels.tokenizerOnly().toString(), "--jsonl"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 1 is not a JSON string"));
  }

  @Test
  void aBenchRefusesACountItCannotHonourBeforeRunning() {
    assertEquals(2, run("", "bench", "engine", "--runs", "0", "--work-dir", dir.resolve("work").toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--runs must be at least 1, got 0"));
    assertEquals(2, run("", "bench", "batching", "--threads", "-1", "--work-dir", dir.resolve("work").toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--threads must be at least 0, got -1"));
    assertFalse(Files.exists(dir.resolve("work")), "refused before any checkpoint was written");
  }
}
