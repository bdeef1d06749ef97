package dev.modernbert.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.model.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarksFileTest {
  @TempDir Path dir;

  @Test
  void eachCommandReplacesOnlyItsOwnSection() throws Exception {
    Path f = dir.resolve("BENCHMARKS.md");
    Files.writeString(f, "# Benchmarks\n\nMethod text written by people.\n");
    BenchmarksFile.update(f, "a", "| x |\n| 1 |");
    BenchmarksFile.update(f, "b", "b1");
    BenchmarksFile.update(f, "a", "| x |\n| 2 |");
    assertEquals("# Benchmarks\n\nMethod text written by people.\n\n<!-- bench:a -->\n| x |\n| 2 |\n<!-- /bench:a -->\n\n"
        + "<!-- bench:b -->\nb1\n<!-- /bench:b -->\n", Files.readString(f));
  }

  @Test
  void valuesNearOneKeepFiveDecimalsAndMissingOnesReadNotAvailable() throws Exception {
    JsonNode report = JsonFiles.mapper().readTree(
        "{\"min_cosine\": 0.997843, \"ratio\": 1.4712, \"gflops\": 166.6, \"results\": [{\"bound\": null}]}");
    assertEquals("### t\n\nmin_cosine: 0.99784 · ratio: 1.47 · gflops: 167\n\n| bound |\n|---|\n| n/a |\n",
        BenchmarksFile.markdown("t", report));
  }

  @Test
  void aSectionIsTitledWithTheCommandAsTyped() {
    assertEquals("`./modernbert bench ingest --shape 130m --docs 400`",
        BenchmarksFile.commandTitle("ingest", "130m", " --docs 400"));
  }
}
