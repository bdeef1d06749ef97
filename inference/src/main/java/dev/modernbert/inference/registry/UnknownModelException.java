package dev.modernbert.inference.registry;

/** A request named a model that is not (or not validly) in the models directory. */
public final class UnknownModelException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownModelException(String message) {
    super(message);
  }
}
