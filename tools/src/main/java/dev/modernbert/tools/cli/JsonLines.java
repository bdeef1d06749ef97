package dev.modernbert.tools.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.modernbert.inference.model.JsonFiles;
import java.io.IOException;
import java.io.OutputStream;

/** Writes one JSON object per line to the CLI's output. */
final class JsonLines implements AutoCloseable {
  private final JsonGenerator g;

  JsonLines(OutputStream out) throws IOException {
    this.g = JsonFiles.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
  }

  /** Starts {@code {"index": i, ...}}; the caller writes more fields then calls {@link #end()}. */
  JsonGenerator begin(int index) throws IOException {
    g.writeStartObject();
    g.writeNumberField("index", index);
    return g;
  }

  void end() throws IOException {
    g.writeEndObject();
    g.writeRaw('\n');
  }

  /** Writes {@code values} as a JSON array field. */
  void floats(String field, float[] values) throws IOException {
    g.writeArrayFieldStart(field);
    for (float v : values) {
      g.writeNumber(v);
    }
    g.writeEndArray();
  }

  void ints(String field, int[] values) throws IOException {
    g.writeArrayFieldStart(field);
    for (int v : values) {
      g.writeNumber(v);
    }
    g.writeEndArray();
  }


  @Override
  public void close() throws IOException {
    g.flush();
  }
}
