package dev.modernbert.inference.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Element types a checkpoint tensor may have, with their safetensors names and sizes. */
public enum DType {
  F32(4),
  F16(2),
  BF16(2),
  I64(8),
  I32(4);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The dtype named {@code name} in a safetensors header, or {@code null} when unsupported. */
  public static DType fromSafetensors(String name) {
    for (DType t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** Decodes {@code out.length} little-endian elements from {@code data} into floats. */
  public void toFloats(ByteBuffer data, float[] out) {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (this) {
      case F32 -> b.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = Float.float16ToFloat(b.getShort());
        }
      }
      case BF16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
        }
      }
      default -> throw new IllegalStateException(this + " tensors are not floating point");
    }
  }

  /** The bfloat16 bits of {@code v}, rounded to nearest even as PyTorch does. */
  public static short toBf16(float v) {
    int bits = Float.floatToRawIntBits(v);
    if (Float.isNaN(v)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounding = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }
}
