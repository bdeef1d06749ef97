package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each edition's installable zip holds only what a node runs: the descriptor and policy, this project's jars and the
 * runtime jars they need. No tools (command line, benchmarks, random checkpoints, corpora, the reference model), no
 * test helpers, no logging binding, no bundled tokenizer or other resource a node never reads. The editions differ
 * in what the engine already has: OpenSearch's lib/ and k-NN give Jackson core, JNA, slf4j and protobuf, which the
 * Elasticsearch edition must bring.
 */
class PluginZipsIT {
  /** Every file at the root of each zip, by name without version. */
  private static final Map<String, Set<String>> EXPECTED = Map.of(
      "modernbert-search-", Set.of("plugin-descriptor.properties", "plugin-security.policy", "modernbert-search",
          "modernbert-inference", "modernbert-ingest-processor", "modernbert-knn-integration", "modernbert-rank-fusion",
          "onnxruntime", "tokenizers", "lucene-analysis-kuromoji", "api", "gson", "jackson-databind", "jackson-annotations",
          "commons-compress", "commons-codec", "commons-io"),
      "modernbert-elasticsearch-", Set.of("plugin-descriptor.properties", "entitlement-policy.yaml",
          "modernbert-elasticsearch", "modernbert-inference", "modernbert-rank-fusion", "onnxruntime", "tokenizers", "lucene-analysis-kuromoji",
          "api", "gson", "jackson-databind", "jackson-annotations", "jackson-core", "jna", "slf4j-api",
          "protobuf-java", "commons-compress", "commons-codec", "commons-io"));
  /** Packages of the project's jars that only tools and tests use. */
  private static final Pattern TOOL_OR_TEST = Pattern.compile(
      "dev/modernbert/(tools|cluster|inference/(cli|bench|random|reference|corpus|testing))/.*|.*(Test|Tests|IT)\\.class");
  private static final Pattern LOGGING_BINDING = Pattern.compile("slf4j-(nop|simple|jdk14|reload4j)|logback|log4j-slf4j.*");

  @ParameterizedTest
  @ValueSource(strings = {"modernbert-search-", "modernbert-elasticsearch-"})
  void theZipHoldsOnlyWhatANodeRuns(String edition) throws IOException {
    Path zip = LocalCluster.Artifacts.find(Path.of(System.getProperty("modernbert.artifacts")), edition);
    Set<String> names = new TreeSet<>();
    List<String> unwanted = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        String name = e.getName();
        assertFalse(name.contains("/"), name + " is not at the zip's root");
        String bare = name.replaceAll("-[0-9][^-]*(\\.jar)$", "").replaceAll("\\.jar$", "");
        names.add(bare);
        if (LOGGING_BINDING.matcher(bare).matches()) {
          unwanted.add(name + " (a logging binding: the node has its own)");
        }
        if (bare.startsWith("modernbert-")) {
          unwanted.addAll(toolsAndResources(name, in));
        }
      }
    }
    assertEquals(List.of(), unwanted);
    assertEquals(new TreeSet<>(EXPECTED.get(edition)), names);
  }

  /** The entries of one of the project's jars that a node does not need. */
  private static List<String> toolsAndResources(String jar, InputStream zipEntry) throws IOException {
    List<String> unwanted = new ArrayList<>();
    ZipInputStream in = new ZipInputStream(zipEntry);
    int classes = 0;
    for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
      String name = e.getName();
      if (name.endsWith(".class")) {
        classes++;
        if (TOOL_OR_TEST.matcher(name).matches()) {
          unwanted.add(jar + "!" + name);
        }
      } else if (!e.isDirectory() && !name.startsWith("META-INF/")) {
        unwanted.add(jar + "!" + name + " (a resource no node reads)");
      }
    }
    assertTrue(classes > 0, jar + " has classes");
    return unwanted;
  }
}
