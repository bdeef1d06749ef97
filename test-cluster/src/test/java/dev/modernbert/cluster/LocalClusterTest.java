package dev.modernbert.cluster;

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
          new LocalCluster.Artifacts(missing, missing, List.of(), missing));
      IOException e = assertThrows(IOException.class, () -> cluster.start(1, port, null, "512m"));
      assertTrue(e.getMessage().contains("transport port " + taken.getLocalPort()), e.getMessage());
      assertTrue(Files.notExists(work.resolve("cluster")), "nothing installed");
    }
  }

  @Test
  void aFreePortPasses() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    LocalCluster.requireFree(port, "HTTP");
  }
}
