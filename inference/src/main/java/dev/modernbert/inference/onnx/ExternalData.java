package dev.modernbert.inference.onnx;

import com.google.protobuf.ByteString;
import dev.modernbert.inference.onnx.schema.Onnx.StringStringEntryProto;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes large initializers into a side file referenced from the graph (ONNX external data), so graphs of
 * any size stay under protobuf's 2 GiB message limit and ONNX Runtime can map the weights. Offsets are
 * page-aligned so the runtime may memory-map them.
 */
public final class ExternalData {
  /** Tensors up to this many bytes stay inline in the graph. */
  public static final int INLINE_LIMIT = 1024;
  private static final int ALIGNMENT = 4096;

  private final String location;
  private final OutputStream out;
  private long offset;

  /** Writes to {@code out}, which the graph will know as the file {@code location} beside it. */
  public ExternalData(String location, OutputStream out) {
    this.location = location;
    this.out = out;
  }

  /** A tensor proto for {@code data}: inline when small, else appended to the external file. */
  TensorProto tensor(String name, TensorProto.DataType type, long[] dims, byte[] data) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    if (data.length <= INLINE_LIMIT) {
      return t.setRawData(ByteString.copyFrom(data)).build();
    }
    try {
      long padding = (ALIGNMENT - offset % ALIGNMENT) % ALIGNMENT;
      out.write(new byte[(int) padding]);
      offset += padding;
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException("writing external data for " + name, e);
    }
    t.setDataLocation(TensorProto.DataLocation.EXTERNAL);
    t.addExternalData(entry("location", location));
    t.addExternalData(entry("offset", Long.toString(offset)));
    t.addExternalData(entry("length", Long.toString(data.length)));
    offset += data.length;
    return t.build();
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
