package dev.modernbert.inference.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Copying and deleting whole folders (model folders, compile-cache entries, node installations). */
public final class FileTrees {
  private FileTrees() {}

  /** Copies the files under {@code source} that {@code include} accepts to {@code target}, keeping attributes. */
  public static void copy(Path source, Path target, Predicate<Path> include) throws IOException {
    try (Stream<Path> s = Files.walk(source)) {
      for (Path p : s.toList()) {
        Path dest = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else if (include.test(p)) {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /** Deletes {@code dir} and everything under it; nothing happens when it does not exist. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
