package dev.modernbert.tools.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.random.ModelShape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchBudgetBenchmarkTest {
  @TempDir Path work;

  @Test
  void theDefaultBudgetIsAlwaysMeasuredOnce() {
    assertArrayEquals(new int[] {1024, 2048, 4096}, BatchBudgetBenchmark.withDefault(new int[] {4096, 1024, 4096}, 2048));
    assertArrayEquals(new int[] {2048}, BatchBudgetBenchmark.withDefault(new int[] {2048}, 2048));
  }

  @Test
  void aTextLongerThanTheBudgetStillGetsACall() {
    assertEquals(1, BatchBudgetBenchmark.textsPerCall(256, 384));
    assertEquals(5, BatchBudgetBenchmark.textsPerCall(2048, 384));
  }

  @Test
  void measuresEveryBudgetAgainstTheDefaultOfTheDevice() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    JsonNode r = BatchBudgetBenchmark.run(new BatchBudgetBenchmark.Options(ModelShape.TINY, new int[] {32},
        new int[] {64, 256}, 1, work, 0, "cpu"), new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals("cpu", r.path("device").asText());
    assertEquals(EngineSettings.CPU_BATCH_TOKENS, r.path("default_budget").asInt());
    JsonNode rows = r.path("results");
    assertEquals(3, rows.size(), "the two asked for and the default");
    int[] perCall = {2, 8, EngineSettings.CPU_BATCH_TOKENS / 32};
    for (int i = 0; i < 3; i++) {
      assertEquals(perCall[i], rows.get(i).path("texts_per_call").asInt());
      assertTrue(rows.get(i).path("tokens_per_second").asDouble() > 0);
    }
    assertEquals(1.0, rows.get(2).path("vs_default").asDouble(), 0.0);
    assertEquals(rows.get(0).path("tokens_per_second").asDouble() / rows.get(2).path("tokens_per_second").asDouble(),
        rows.get(0).path("vs_default").asDouble(), 1e-12);
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("| 32 | 2048 | 64 |"), printed.toString());
  }
}
