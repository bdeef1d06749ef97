package dev.modernbert.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.random.ModelShape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArenaBenchmarkTest {
  @TempDir Path work;

  @Test
  void measuresEveryCallBothWays() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    JsonNode r = ArenaBenchmark.run(new ArenaBenchmark.Options(ModelShape.TINY,
        ArenaBenchmark.Call.parseList("300x2,24x1"), 2, work, 0),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals("cpu", r.path("device").asText());
    JsonNode rows = r.path("results");
    assertEquals(2, rows.size());
    assertEquals(300, rows.get(0).path("tokens_per_text").asInt());
    assertEquals(2, rows.get(0).path("texts").asInt());
    assertEquals(1, rows.get(1).path("texts").asInt());
    for (JsonNode row : rows) {
      double arena = row.path("arena_seconds").asDouble();
      double malloc = row.path("malloc_seconds").asDouble();
      assertTrue(arena > 0 && malloc > 0, row.toString());
      assertEquals(malloc / arena, row.path("arena_speed_up").asDouble(), 1e-12);
      assertTrue(row.path("arena_peak_rise_mib").asDouble() >= 0, row.toString());
    }
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("24 tokens x 1 texts"), printed.toString());
  }

  @Test
  void theDefaultCallsAreTheCpuEnginesBatches() {
    assertEquals(List.of(new ArenaBenchmark.Call(8192, 1), new ArenaBenchmark.Call(2048, 1),
        new ArenaBenchmark.Call(512, 4), new ArenaBenchmark.Call(128, 16), new ArenaBenchmark.Call(24, 1)),
        ArenaBenchmark.Call.parseList(ArenaBenchmark.Call.defaults()));
  }

  @Test
  void callsAreParsedAndBadOnesNamed() {
    assertEquals(List.of(new ArenaBenchmark.Call(8192, 1), new ArenaBenchmark.Call(512, 16)),
        ArenaBenchmark.Call.parseList("8192x1, 512x16"));
    for (String bad : List.of("512", "512x", "x4", "ax2", "0x1", "512x0", "8192x1;512x16", "1048577x1", "4096x512")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ArenaBenchmark.Call.parseList(bad), bad);
      assertTrue(e.getMessage().contains("x"), e.getMessage());
    }
  }
}
