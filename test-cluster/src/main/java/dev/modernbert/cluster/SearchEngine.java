package dev.modernbert.cluster;

import java.util.Locale;
import java.util.Map;

/**
 * The two engines a local node can run, and what differs between their distributions: scripts, the config file,
 * the setting that names the first cluster-manager nodes, the variable that picks the JDK, and settings a test node
 * needs (Elasticsearch's integ-test distribution has x-pack security on, which answers every request with 401).
 */
public enum SearchEngine {
  OPENSEARCH("opensearch", "cluster.initial_cluster_manager_nodes", "OPENSEARCH_JAVA_HOME", Map.of()),
  ELASTICSEARCH("elasticsearch", "cluster.initial_master_nodes", "ES_JAVA_HOME",
      Map.of("xpack.security.enabled", "false"));

  private final String name;
  private final String initialManagers;
  private final String javaHomeVariable;
  private final Map<String, String> nodeSettings;

  SearchEngine(String name, String initialManagers, String javaHomeVariable, Map<String, String> nodeSettings) {
    this.name = name;
    this.initialManagers = initialManagers;
    this.javaHomeVariable = javaHomeVariable;
    this.nodeSettings = nodeSettings;
  }

  /** {@code opensearch} or {@code elasticsearch}, as the CLI's {@code --engine} takes it. */
  public static SearchEngine parse(String name) {
    for (SearchEngine e : values()) {
      if (e.name.equals(name.toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown engine [" + name + "]: expected opensearch or elasticsearch");
  }

  public String id() {
    return name;
  }

  String startScript() {
    return "bin/" + name;
  }

  String pluginTool() {
    return "bin/" + name + "-plugin";
  }

  String configFile() {
    return name + ".yml";
  }

  String initialManagersSetting() {
    return initialManagers;
  }

  String javaHomeVariable() {
    return javaHomeVariable;
  }

  Map<String, String> nodeSettings() {
    return nodeSettings;
  }
}
