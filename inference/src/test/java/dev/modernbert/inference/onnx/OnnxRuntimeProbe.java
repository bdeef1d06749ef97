package dev.modernbert.inference.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs {@code model.onnx} with whatever ONNX Runtime is on its classpath, with the runtime's default session
 * options (as DJL in ml-commons does): prints the runtime's version, then {@code last_hidden_state} of a right-padded
 * batch of the sequences given as arguments (comma-separated ids), one token per line.
 */
public final class OnnxRuntimeProbe {
  private OnnxRuntimeProbe() {}

  public static void main(String[] args) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[][] rows = Arrays.stream(args).skip(1).map(a -> Arrays.stream(a.split(",")).mapToLong(Long::parseLong)
        .toArray()).toArray(long[][]::new);
    int n = Arrays.stream(rows).mapToInt(r -> r.length).max().orElseThrow();
    long[][] ids = new long[rows.length][n];
    long[][] mask = new long[rows.length][n];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(rows[b], 0, ids[b], 0, rows[b].length);
      Arrays.fill(mask[b], 0, rows[b].length, 1);
    }
    System.out.println(env.getVersion());
    try (OrtSession session = env.createSession(args[0], new OrtSession.SessionOptions());
        OnnxTensor idsT = OnnxTensor.createTensor(env, ids);
        OnnxTensor maskT = OnnxTensor.createTensor(env, mask);
        OrtSession.Result r = session.run(Map.of("input_ids", idsT, "attention_mask", maskT))) {
      float[][][] h = (float[][][]) r.get(0).getValue();
      for (int b = 0; b < rows.length; b++) {
        for (int t = 0; t < rows[b].length; t++) {
          System.out.println(Arrays.toString(h[b][t]));
        }
      }
    }
  }
}
