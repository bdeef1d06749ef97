package dev.modernbert.inference.documents;

/** A processor option that is missing, of the wrong type or out of range; the edition reports it per property. */
public final class ProcessorOptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String property;

  public ProcessorOptionException(String property, String message) {
    super(message);
    this.property = property;
  }

  /** The option's name, e.g. {@code chunking}. */
  public String property() {
    return property;
  }
}
