package dev.modernbert.inference.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a {@code .safetensors} file tensor by tensor, so a large checkpoint never sits whole in memory.
 * Tensors are declared first (the header needs every offset), then their values are streamed in order.
 * The file appears atomically when {@link #finish()} succeeds.
 */
public final class SafetensorsWriter {
  private record Declared(String name, DType dtype, long[] shape) {}

  private final Path target;
  private final List<Declared> declared = new ArrayList<>();
  private FileChannel channel;
  private Path temp;
  private int next;

  public SafetensorsWriter(Path target) {
    this.target = target;
  }

  /** Declares the next tensor; all declarations come before the first {@link #write}. */
  public void declare(String name, DType dtype, long... shape) {
    if (channel != null) {
      throw new IllegalStateException("declare after write");
    }
    declared.add(new Declared(name, dtype, shape.clone()));
  }

  /** Writes the values of the next declared tensor, converted to its dtype. */
  public void write(float[] values) throws IOException {
    if (channel == null) {
      open();
    }
    Declared t = declared.get(next++);
    long count = Arrays.stream(t.shape()).reduce(1, Math::multiplyExact);
    if (count != values.length) {
      throw new IllegalArgumentException(t.name() + ": " + values.length + " values for shape " + Arrays.toString(t.shape()));
    }
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(count * t.dtype().bytes())).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      switch (t.dtype()) {
        case F32 -> b.putFloat(v);
        case F16 -> b.putShort(Float.floatToFloat16(v));
        case BF16 -> b.putShort(DType.toBf16(v));
        default -> throw new IllegalArgumentException(t.name() + ": cannot write floats as " + t.dtype());
      }
    }
    b.flip();
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  private void open() throws IOException {
    ObjectNode header = JsonFiles.mapper().createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Declared t : declared) {
      long bytes = Arrays.stream(t.shape()).reduce(1, Math::multiplyExact) * t.dtype().bytes();
      ObjectNode e = header.putObject(t.name());
      e.put("dtype", t.dtype().name());
      e.putArray("shape").addAll(Arrays.stream(t.shape()).mapToObj(JsonFiles.mapper().getNodeFactory()::numberNode)
          .toList());
      e.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    prefix.putLong(padded).put(json);
    while (prefix.hasRemaining()) {
      prefix.put((byte) ' ');
    }
    prefix.flip();
    temp = target.resolveSibling(target.getFileName() + ".tmp");
    channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    while (prefix.hasRemaining()) {
      channel.write(prefix);
    }
  }

  /** Checks every declared tensor was written and moves the file into place. */
  public void finish() throws IOException {
    if (next != declared.size()) {
      throw new IllegalStateException((declared.size() - next) + " declared tensors were not written");
    }
    if (channel == null) {
      open();
    }
    channel.force(true);
    channel.close();
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
