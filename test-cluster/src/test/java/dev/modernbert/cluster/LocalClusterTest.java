package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClusterTest {
  @TempDir
  Path work;

  @Test
  void aClusterWhosePortIsTakenIsRefusedBeforeAnythingIsInstalled() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort() - 100;
      Path missing = work.resolve("no-such.zip");
      LocalCluster cluster = new LocalCluster(work.resolve("cluster"),
          new LocalCluster.Artifacts(SearchEngine.OPENSEARCH, missing, List.of(), missing));
      IOException e = assertThrows(IOException.class, () -> cluster.start(1, port, null, "512m"));
      assertTrue(e.getMessage().contains("transport port " + taken.getLocalPort()), e.getMessage());
      assertTrue(Files.notExists(work.resolve("cluster")), "nothing installed");
    }
  }

  @Test
  void aPortIsRefusedWhileTakenAndAcceptedOnceFree() throws IOException {
    int port;
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = taken.getLocalPort();
      IOException e = assertThrows(IOException.class, () -> LocalCluster.requireFree(taken.getLocalPort(), "HTTP"));
      assertEquals("HTTP port " + port + " on 127.0.0.1 is in use (another node or cluster still running?)",
          e.getMessage());
    }
    assertDoesNotThrow(() -> LocalCluster.requireFree(port, "HTTP"));
  }

  @Test
  void aStartSaysWhatItKeepsFromEarlierRunsAndWipingStartsEmpty() throws IOException {
    Path missing = work.resolve("no-such.zip");
    LocalCluster cluster = new LocalCluster(work.resolve("cluster"),
        new LocalCluster.Artifacts(SearchEngine.OPENSEARCH, missing, List.of(), missing));
    assertEquals(List.of(), cluster.reusedState(2, null), "nothing yet");
    Path node = work.resolve("cluster/node-1");
    Files.createDirectories(node.resolve("data/nodes/0"));
    Files.createDirectories(node.resolve("config/modernbert/models/old"));
    Files.createDirectories(node.resolve("config/modernbert/models/ruri"));
    Path modelDir = Files.createDirectories(work.resolve("models/ruri"));
    List<String> reused = cluster.reusedState(2, modelDir.getParent());
    assertEquals(2, reused.size(), reused.toString());
    assertTrue(reused.get(0).startsWith("node-1: indexes, pipelines and cluster settings"), reused.get(0));
    assertEquals("node-1: models of earlier runs [old]", reused.get(1), "ruri comes from --model-dir again");
    cluster.wipeNodes();
    assertTrue(Files.notExists(node));
    assertEquals(List.of(), cluster.reusedState(2, modelDir.getParent()));
  }
}
