package dev.modernbert.plugin.action;

import java.io.IOException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

/** The index body for model {@code model}'s vectors of text field {@code field}. */
public final class MappingRequest extends CancellableRequest {
  private final String model;
  private final String field;

  public MappingRequest(String model, String field) {
    this.model = model;
    this.field = field;
  }

  public MappingRequest(StreamInput in) throws IOException {
    super(in);
    model = in.readString();
    field = in.readString();
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    out.writeString(model);
    out.writeString(field);
  }

  public String model() {
    return model;
  }

  public String field() {
    return field;
  }

  @Override
  public String getDescription() {
    return "mapping of [" + model + "] for field [" + field + "]";
  }
}
