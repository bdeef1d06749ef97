package dev.modernbert.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package of the project depends, directly or through others, on a package that depends on it: the package
 * graph of every module's classes, as {@code jdeps} reads it from the bytecode, has no cycle. Data flows one way
 * (text → tokenizer → chunker → batcher → session → pooling), and the core never reaches up into the editions or
 * the tools.
 */
class PackageCyclesTest {
  private static final List<String> MODULES =
      List.of("inference", "ingest-processor", "knn-integration", "plugin", "elasticsearch-plugin", "test-cluster",
          "tools");

  @Test
  void theProjectsPackageGraphHasNoCycle() throws Exception {
    Map<String, Set<String>> graph = packageGraph();
    assertTrue(graph.keySet().stream().anyMatch(p -> p.startsWith("dev.modernbert.inference.")), graph.toString());
    assertTrue(graph.keySet().stream().anyMatch(p -> p.startsWith("dev.modernbert.plugin")), graph.toString());
    assertTrue(graph.keySet().stream().anyMatch(p -> p.startsWith("dev.modernbert.elasticsearch")), graph.toString());
    assertEquals(List.of(), cycles(graph), "package cycles");
  }

  @Test
  void theCoreDependsOnNoEditionAndNoTool() throws Exception {
    packageGraph().forEach((from, to) -> {
      if (from.startsWith("dev.modernbert.inference")) {
        to.forEach(p -> assertTrue(p.startsWith("dev.modernbert.inference"), from + " -> " + p));
      }
    });
  }

  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertEquals(List.of(Set.of("a", "b", "c")), cycles(graph));
  }

  /** Package → packages it uses, for every module's main classes. */
  private static Map<String, Set<String>> packageGraph() throws Exception {
    List<String> args = new ArrayList<>(List.of("-verbose:package", "-e", "dev\\.modernbert\\..*"));
    for (String module : MODULES) {
      Path classes = Path.of("..", module, "target", "classes");
      assertTrue(Files.isDirectory(classes), classes + " is built before the tools' tests run");
      args.add(classes.toString());
    }
    StringWriter out = new StringWriter();
    int rc = ToolProvider.findFirst("jdeps").orElseThrow()
        .run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
    assertEquals(0, rc, out.toString());
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<String> lines = out.toString().lines()) {
      lines.map(String::trim).map(l -> l.split("\\s+")).filter(f -> f.length >= 3 && f[1].equals("->"))
          .filter(f -> !f[0].equals(f[2]))
          .forEach(f -> graph.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[2]));
    }
    return graph;
  }

  /** The strongly connected components of more than one package (Tarjan). */
  static List<Set<String>> cycles(Map<String, Set<String>> graph) {
    return new Tarjan(graph).components.stream().filter(c -> c.size() > 1).toList();
  }

  private static final class Tarjan {
    private final Map<String, Set<String>> graph;
    private final Map<String, Integer> index = new TreeMap<>();
    private final Map<String, Integer> low = new TreeMap<>();
    private final List<String> stack = new ArrayList<>();
    private final List<Set<String>> components = new ArrayList<>();

    Tarjan(Map<String, Set<String>> graph) {
      this.graph = graph;
      new TreeSet<>(graph.keySet()).forEach(v -> {
        if (!index.containsKey(v)) {
          visit(v);
        }
      });
    }

    private void visit(String v) {
      index.put(v, index.size());
      low.put(v, index.get(v));
      stack.add(v);
      for (String w : graph.getOrDefault(v, Set.of())) {
        if (!index.containsKey(w)) {
          visit(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (stack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        Set<String> component = new TreeSet<>();
        String w;
        do {
          w = stack.remove(stack.size() - 1);
          component.add(w);
        } while (!w.equals(v));
        components.add(component);
      }
    }
  }
}
