package dev.modernbert.inference.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors reader validates every header field before allocating, and reads values exactly. */
class SafetensorsFileTest {
  @TempDir Path dir;

  private Path writeSample(DType dtype) throws IOException {
    Path f = dir.resolve("sample-" + dtype + ".safetensors");
    SafetensorsWriter w = new SafetensorsWriter(f);
    w.declare("a.weight", dtype, 2, 3);
    w.declare("b", dtype, 4);
    w.write(new float[] {1, -2, 3.5f, 0.25f, 1e-3f, -7});
    w.write(new float[] {0, 1, 2, 65504});
    w.finish();
    return f;
  }

  @Test
  void roundTripsEveryFloatDtype() throws IOException {
    for (DType t : new DType[] {DType.F32, DType.F16, DType.BF16}) {
      try (SafetensorsFile f = SafetensorsFile.open(writeSample(t))) {
        TensorInfo a = f.tensors().get("a.weight");
        assertArrayEquals(new long[] {2, 3}, a.shape());
        float[] v = f.floats(a);
        float tol = t == DType.F32 ? 0 : (t == DType.F16 ? 1e-3f : 1e-2f);
        float[] expected = {1, -2, 3.5f, 0.25f, 1e-3f, -7};
        for (int i = 0; i < v.length; i++) {
          assertEquals(expected[i], v[i], Math.abs(expected[i]) * tol, t + " element " + i);
        }
      }
    }
  }

  @Test
  void bf16ConversionRoundsToNearestEven() {
    assertEquals((short) 0x3F80, DType.toBf16(1.0f));
    // 1 + 2^-8 lies exactly between two bf16 values: ties go to the even one (1.0)
    assertEquals((short) 0x3F80, DType.toBf16(1.00390625f));
    assertEquals((short) 0x3F81, DType.toBf16(1.0078125f));
  }

  private Path raw(String name, long headerLength, String header, int dataBytes) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(headerLength).put(h);
    Path f = dir.resolve(name);
    Files.write(f, b.array());
    return f;
  }

  private String error(Path f) {
    return assertThrows(InvalidModelException.class, () -> SafetensorsFile.open(f).close()).getMessage();
  }

  @Test
  void refusesMalformedHeaders() throws IOException {
    String ok = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    int n = ok.length();
    assertTrue(error(raw("short", 0, "", 0)).contains("header length 0"));
    assertTrue(error(raw("huge", Long.MAX_VALUE, ok, 8)).contains("header length"));
    assertTrue(error(raw("negative", -1, ok, 8)).contains("header length"));
    assertTrue(error(raw("beyond", n + 100, ok, 8)).contains("header length"));
    assertTrue(error(raw("notjson", n, ok.replace('{', '['), 8)).contains("not valid JSON"));
    assertTrue(error(raw("dtype", n, ok.replace("F32", "Q99"), 8)).contains("unsupported dtype"));
    assertTrue(error(raw("oob", n, ok.replace("[0,8]", "[0,9]"), 8)).contains("outside the data section"));
    assertTrue(error(raw("mismatch", n, ok.replace("[2]", "[3]"), 12)).contains("needs 12 bytes"));
    assertTrue(error(raw("negshape", n + 1, ok.replace("[2]", "[-2]"), 8)).contains("non-negative"));
    assertTrue(error(raw("reversed", n, ok.replace("[0,8]", "[8,0]"), 8)).contains("data_offsets"));
    String overlap = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    assertTrue(error(raw("overlap", overlap.length(), overlap, 12)).contains("overlap"));
    String overflow = "{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}";
    assertTrue(error(raw("overflow", overflow.length(), overflow, 8)).contains("too large"));
    assertTrue(error(raw("short.safetensors", 0, "", 0)).startsWith("short.safetensors"), "names the file");
  }

  @Test
  void fuzzedFilesOnlyEverFailWithInvalidModelException() throws IOException {
    byte[] valid = Files.readAllBytes(writeSample(DType.F32));
    Random rnd = new Random(1234);
    Path f = dir.resolve("fuzz.safetensors");
    int accepted = 0;
    for (int iter = 0; iter < 3000; iter++) {
      byte[] b;
      if (iter % 3 == 0) {
        b = Arrays.copyOf(valid, rnd.nextInt(valid.length));
      } else {
        b = valid.clone();
        int flips = 1 + rnd.nextInt(4);
        for (int k = 0; k < flips; k++) {
          int pos = iter % 3 == 1 ? rnd.nextInt(Math.min(b.length, 8)) : rnd.nextInt(b.length);
          b[pos] ^= (byte) (1 << rnd.nextInt(8));
        }
      }
      Files.write(f, b);
      try (SafetensorsFile s = SafetensorsFile.open(f)) {
        for (TensorInfo t : s.tensors().values()) {
          if (t.dtype() == DType.F32 || t.dtype() == DType.F16 || t.dtype() == DType.BF16) {
            assertTrue(s.floats(t).length * (long) t.dtype().bytes() <= b.length, "never reads past the file");
          }
        }
        accepted++;
      } catch (InvalidModelException expected) {
        // the only failure type allowed
      }
    }
    assertTrue(accepted > 0 && accepted < 3000, "some flips hit only data bytes, most are caught: " + accepted);
  }
}
