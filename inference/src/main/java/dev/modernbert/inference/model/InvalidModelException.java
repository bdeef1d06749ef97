package dev.modernbert.inference.model;

/**
 * A model folder or one of its files is malformed, inconsistent or unsupported. The message names the
 * file (and the tensor or field) that is wrong, so a user can fix the folder without reading code.
 */
public final class InvalidModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidModelException(String message) {
    super(message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
