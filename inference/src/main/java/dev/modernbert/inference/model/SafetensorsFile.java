package dev.modernbert.inference.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of one {@code .safetensors} file. The header is validated completely before anything
 * else is allocated; tensor data is memory-mapped on demand, never copied whole into the heap.
 *
 * <p>Format: an 8-byte little-endian header length N, N bytes of JSON mapping tensor names to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}}, then the data section.
 */
public final class SafetensorsFile implements AutoCloseable {
  /** Headers above this size are refused (real headers are a few hundred KB at most). */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final int MAX_RANK = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorInfo> tensors;

  private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.tensors = tensors;
  }

  /** Opens and validates {@code path}; throws {@link InvalidModelException} naming what is wrong. */
  public static SafetensorsFile open(Path path) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
      long size = channel.size();
      long headerLength = readHeaderLength(path, channel, size);
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(channel, header, 8);
      long dataSize = size - 8 - headerLength;
      Map<String, TensorInfo> tensors = parseHeader(path, header.array(), dataSize);
      return new SafetensorsFile(path, channel, 8 + headerLength, tensors);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new InvalidModelException(path.getFileName() + ": cannot be read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static long readHeaderLength(Path path, FileChannel channel, long size) throws IOException {
    if (size < 8) {
      throw error(path, "is " + size + " bytes, shorter than the 8-byte header length");
    }
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, b, 0);
    long n = b.getLong(0);
    if (n < 2 || n > size - 8 || n > MAX_HEADER_BYTES) {
      throw error(path, "header length " + Long.toUnsignedString(n) + " is invalid for a file of " + size
          + " bytes (limit " + MAX_HEADER_BYTES + ")");
    }
    return n;
  }

  private static void readFully(FileChannel channel, ByteBuffer b, long position) throws IOException {
    long pos = position;
    while (b.hasRemaining()) {
      int r = channel.read(b, pos);
      if (r < 0) {
        throw new IOException("unexpected end of file at byte " + pos);
      }
      pos += r;
    }
  }

  static Map<String, TensorInfo> parseHeader(Path path, byte[] header, long dataSize) {
    JsonNode root;
    try {
      root = JSON.readTree(header);
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw error(path, "header is not valid JSON: " + why);
    }
    if (root == null || !root.isObject()) {
      throw error(path, "header is not a JSON object");
    }
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      tensors.put(e.getKey(), parseEntry(path, e.getKey(), e.getValue(), dataSize));
    }
    checkNoOverlap(path, tensors.values());
    return Collections.unmodifiableMap(tensors);
  }

  private static TensorInfo parseEntry(Path path, String name, JsonNode entry, long dataSize) {
    if (name.isEmpty() || name.length() > 1024) {
      throw error(path, "has a tensor name of invalid length " + name.length());
    }
    if (!entry.isObject()) {
      throw error(path, "tensor " + name + ": entry is not an object");
    }
    DType dtype = DType.fromSafetensors(entry.path("dtype").asText(""));
    if (dtype == null) {
      throw error(path, "tensor " + name + ": unsupported dtype " + entry.get("dtype")
          + " (supported: F32, F16, BF16, I32, I64)");
    }
    long[] shape = longArray(path, name, "shape", entry.get("shape"), -1);
    if (shape.length > MAX_RANK) {
      throw error(path, "tensor " + name + ": rank " + shape.length + " exceeds " + MAX_RANK);
    }
    long[] offsets = longArray(path, name, "data_offsets", entry.get("data_offsets"), 2);
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end || end > dataSize) {
      throw error(path, "tensor " + name + ": data_offsets [" + begin + ", " + end
          + "] are outside the data section of " + dataSize + " bytes");
    }
    long bytes;
    try {
      long count = 1;
      for (long d : shape) {
        count = Math.multiplyExact(count, d);
      }
      bytes = Math.multiplyExact(count, (long) dtype.bytes());
    } catch (ArithmeticException overflow) {
      throw error(path, "tensor " + name + ": shape is too large");
    }
    if (bytes != end - begin) {
      throw error(path, "tensor " + name + ": " + dtype + " shape " + Arrays.toString(shape)
          + " needs " + bytes + " bytes but data_offsets span " + (end - begin));
    }
    return new TensorInfo(name, dtype, shape, begin, end);
  }

  private static long[] longArray(Path path, String tensor, String field, JsonNode node, int length) {
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw error(path, "tensor " + tensor + ": " + field + " must be an array"
          + (length >= 0 ? " of " + length + " integers" : " of integers"));
    }
    if (node.size() > MAX_RANK) {
      throw error(path, "tensor " + tensor + ": " + field + " has " + node.size() + " entries");
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
        throw error(path, "tensor " + tensor + ": " + field + "[" + i + "] = " + v + " is not a non-negative integer");
      }
      out[i] = v.asLong();
    }
    return out;
  }

  private static void checkNoOverlap(Path path, Iterable<TensorInfo> infos) {
    List<TensorInfo> sorted = new ArrayList<>();
    infos.forEach(sorted::add);
    sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    for (int i = 1; i < sorted.size(); i++) {
      TensorInfo prev = sorted.get(i - 1);
      TensorInfo cur = sorted.get(i);
      if (cur.begin() < prev.end()) {
        throw error(path, "tensors " + prev.name() + " and " + cur.name() + " overlap in the data section");
      }
    }
  }

  private static InvalidModelException error(Path path, String what) {
    return new InvalidModelException(path.getFileName() + ": " + what);
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // the original failure is the one worth reporting
      }
    }
  }

  /** The file this view reads. */
  public Path path() {
    return path;
  }

  /** Tensor entries by name, in header order. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  /** The raw little-endian bytes of {@code info}, memory-mapped. */
  public ByteBuffer bytes(TensorInfo info) {
    long length = info.end() - info.begin();
    if (length > Integer.MAX_VALUE) {
      throw error(path, "tensor " + info.name() + " is larger than 2 GiB");
    }
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), length)
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new InvalidModelException(path.getFileName() + ": cannot map tensor " + info.name(), e);
    }
  }

  /** The tensor's values as floats (F32, F16 or BF16). */
  public float[] floats(TensorInfo info) {
    if (info.dtype() != DType.F32 && info.dtype() != DType.F16 && info.dtype() != DType.BF16) {
      throw error(path, "tensor " + info.name() + " has dtype " + info.dtype() + ", expected F32, F16 or BF16");
    }
    float[] out = new float[Math.toIntExact(info.elementCount())];
    info.dtype().toFloats(bytes(info), out);
    return out;
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }
}
