package dev.modernbert.inference.registry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Error messages as a node may send them to clients: absolute file paths of the node (its config and data
 * directories, temporary files) are cut to their last two names, which say which model and file is meant
 * ({@code ruri/config.json}) without telling a client how the node's disks are laid out. URLs are left alone.
 */
public final class PathRedaction {
  /** An absolute path of two or more names, not inside a URL or a relative path. */
  private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w:/.~-])(?:/[^\\s/:\"'\\[\\](),;]+){2,}");

  private PathRedaction() {}

  /**
   * {@code failure} as a client may see it: itself when neither it nor a cause names an absolute path, else a
   * new exception of the same kind as far as a status goes (bad input stays an {@link IllegalArgumentException})
   * with the redacted message and no cause, so that no cause's path reaches the client either.
   */
  public static Throwable redacted(Throwable failure) {
    if (!namesAPath(failure)) {
      return failure;
    }
    String message = redact(failure.getMessage());
    return failure instanceof IllegalArgumentException ? new IllegalArgumentException(message)
        : new IllegalStateException(message);
  }

  private static boolean namesAPath(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && ABSOLUTE_PATH.matcher(t.getMessage()).find()) {
        return true;
      }
    }
    return false;
  }

  /** {@code message} with every absolute path cut to its last two names; {@code null} stays {@code null}. */
  public static String redact(String message) {
    if (message == null) {
      return null;
    }
    Matcher m = ABSOLUTE_PATH.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String path = m.group();
      int last = path.lastIndexOf('/');
      int secondLast = path.lastIndexOf('/', last - 1);
      m.appendReplacement(out, Matcher.quoteReplacement(path.substring(secondLast + 1)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
