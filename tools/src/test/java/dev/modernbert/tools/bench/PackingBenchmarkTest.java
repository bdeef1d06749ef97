package dev.modernbert.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.random.ModelShape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackingBenchmarkTest {
  @TempDir Path work;

  @Test
  void measuresBothGraphsForEveryCallSize() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    JsonNode r = PackingBenchmark.run(new PackingBenchmark.Options(ModelShape.TINY, 12, new int[] {12, 1}, 1, work, 0,
        "cpu"), new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals(12, r.path("texts").asInt());
    assertTrue(r.path("tokens").asLong() > 12, "paragraphs are longer than one token");
    JsonNode rows = r.path("results");
    assertEquals(2, rows.size());
    assertEquals(12, rows.get(0).path("texts_per_call").asInt());
    assertTrue(rows.get(0).path("padding_ratio").asDouble() > 0, "paragraphs of different lengths share a call");
    assertEquals(0.0, rows.get(1).path("padding_ratio").asDouble(), 0.0, "a lone text has no padding");
    for (JsonNode row : rows) {
      double slots = row.path("every_slot_tokens_per_second").asDouble();
      double packed = row.path("packed_tokens_per_second").asDouble();
      assertTrue(slots > 0 && packed > 0, row.toString());
      assertEquals(packed / slots, row.path("packed_speed_up").asDouble(), 1e-12);
    }
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("1 texts per call, padding 0.000"),
        printed.toString());
  }
}
