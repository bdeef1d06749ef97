package dev.modernbert.tools.cli;

/** The command line itself is wrong (unknown command or option, missing or malformed value). */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A usage error described by {@code message}, which names the offending command or option. */
  public UsageException(String message) {
    super(message);
  }
}
