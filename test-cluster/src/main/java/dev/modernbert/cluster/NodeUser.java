package dev.modernbert.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * OpenSearch and Elasticsearch refuse to run as root. When this tool runs as root (as CI and these machines do), nodes run as
 * the unprivileged user {@value LocalCluster#NODE_USER}, created on first use, who owns each node's folder.
 */
final class NodeUser {
  /** useradd's exit status when the user exists: created meanwhile by another build step, which is fine. */
  private static final int USER_EXISTS = 9;

  private NodeUser() {}

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Gives {@code dir} to the node user (when root). */
  static void handOver(Path dir) throws IOException, InterruptedException {
    if (!isRoot()) {
      return;
    }
    if (exec(List.of("id", "-u", LocalCluster.NODE_USER)) != 0
        && !Set.of(0, USER_EXISTS).contains(exec(List.of("useradd", "--system", "--no-create-home", "--shell",
            "/usr/sbin/nologin", LocalCluster.NODE_USER)))) {
      throw new IOException("cannot create the user " + LocalCluster.NODE_USER + " to run the nodes as");
    }
    if (exec(List.of("chown", "-R", LocalCluster.NODE_USER + ":", dir.toString())) != 0) {
      throw new IOException("cannot give " + dir + " to " + LocalCluster.NODE_USER);
    }
    openPathTo(dir.toAbsolutePath().getParent());
  }

  /** Makes every folder above {@code dir} traversable: a node in a private folder (0700, /root) could not start. */
  private static void openPathTo(Path dir) throws IOException {
    for (Path p = dir; p != null && p.getParent() != null; p = p.getParent()) {
      Set<PosixFilePermission> perms = new HashSet<>(Files.getPosixFilePermissions(p));
      if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
        Files.setPosixFilePermissions(p, perms);
      }
    }
  }

  /** Starts {@code command} in {@code dir}, as the node user when root; output goes to {@code dir/logs}. */
  static Process launch(Path dir, List<String> command, String javaHomeVariable, String javaHome) throws IOException {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      // setpriv switches user without a PAM session, which runuser would open (and which can fail or stall)
      full.addAll(List.of("setpriv", "--reuid=" + LocalCluster.NODE_USER, "--regid=" + LocalCluster.NODE_USER,
          "--init-groups", "--"));
    }
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("logs").resolve("launcher.out").toFile());
    pb.environment().put(javaHomeVariable, javaHome);
    pb.environment().put("JAVA_HOME", javaHome);
    pb.environment().remove("OPENSEARCH_JAVA_OPTS");
    pb.environment().remove("ES_JAVA_OPTS");
    return pb.start();
  }

  private static int exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }
}
