package dev.modernbert.inference.model;

import dev.modernbert.inference.model.InvalidModelException;
import dev.modernbert.inference.onnx.schema.Onnx.AttributeProto;
import dev.modernbert.inference.onnx.schema.Onnx.GraphProto;
import dev.modernbert.inference.onnx.schema.Onnx.ModelProto;
import dev.modernbert.inference.onnx.schema.Onnx.NodeProto;
import dev.modernbert.inference.onnx.schema.Onnx.StringStringEntryProto;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import dev.modernbert.inference.onnx.schema.Onnx.TensorShapeProto;
import dev.modernbert.inference.onnx.schema.Onnx.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Validates an exported {@code model.onnx} before ONNX Runtime sees it: it must parse, have the inputs and
 * output an encoder needs, and every external-data reference (in the graph and its subgraphs) must name a
 * plain file inside the model folder with its byte range inside that file — so a model cannot make the
 * runtime read outside the models directory.
 */
public final class OnnxModelCheck {
  /** protobuf cannot parse messages over 2 GiB; larger graphs must use external data. */
  private static final long MAX_GRAPH_BYTES = Integer.MAX_VALUE;
  private static final Pattern DATA_FILE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,200}");

  private OnnxModelCheck() {}

  /**
   * Checks {@code folder/file} and returns the hidden size its {@code last_hidden_state} declares (0 when
   * symbolic); throws {@link InvalidModelException} naming the problem.
   */
  public static long check(Path folder, String file) {
    Path path = folder.resolve(file);
    ModelProto model;
    try {
      long size = Files.size(path);
      if (size > MAX_GRAPH_BYTES) {
        throw new InvalidModelException(file + ": " + size + " bytes; graphs over 2 GiB must use external data");
      }
      try (InputStream in = Files.newInputStream(path)) {
        model = ModelProto.parseFrom(in);
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new InvalidModelException(file + ": not a valid ONNX model (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new InvalidModelException(file + ": cannot be read: " + e.getMessage(), e);
    }
    if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
      throw new InvalidModelException(file + ": has no graph");
    }
    checkExternalData(folder, file, model.getGraph());
    GraphProto g = model.getGraph();
    boolean ids = false;
    boolean mask = false;
    for (ValueInfoProto in : g.getInputList()) {
      ids |= in.getName().equals("input_ids");
      mask |= in.getName().equals("attention_mask");
    }
    if (!ids || !mask) {
      throw new InvalidModelException(file + ": inputs must include input_ids and attention_mask");
    }
    for (ValueInfoProto out : g.getOutputList()) {
      if (out.getName().equals("last_hidden_state")) {
        TensorShapeProto shape = out.getType().getTensorType().getShape();
        return shape.getDimCount() == 3 && shape.getDim(2).hasDimValue() ? shape.getDim(2).getDimValue() : 0;
      }
    }
    throw new InvalidModelException(file + ": has no output named last_hidden_state");
  }

  private static void checkExternalData(Path folder, String file, GraphProto graph) {
    for (TensorProto t : graph.getInitializerList()) {
      if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
        checkReference(folder, file, t);
      }
    }
    for (NodeProto n : graph.getNodeList()) {
      for (AttributeProto a : n.getAttributeList()) {
        if (a.hasG()) {
          checkExternalData(folder, file, a.getG());
        }
        for (GraphProto sub : a.getGraphsList()) {
          checkExternalData(folder, file, sub);
        }
      }
    }
  }

  private static void checkReference(Path folder, String file, TensorProto t) {
    externalRange(folder, file, t);
  }

  /** Where an initializer's external data lies: a file of the model folder and a byte range inside it. */
  public record ExternalRange(Path file, long offset, long length) {}

  /**
   * The external data of initializer {@code t} of {@code folder/file}, checked: a plain file name inside the folder,
   * the byte range inside that file (a missing length runs to its end); throws {@link InvalidModelException}
   * naming the problem.
   */
  public static ExternalRange externalRange(Path folder, String file, TensorProto t) {
    String location = null;
    long offset = 0;
    long length = -1;
    for (StringStringEntryProto e : t.getExternalDataList()) {
      try {
        switch (e.getKey()) {
          case "location" -> location = e.getValue();
          case "offset" -> offset = Long.parseLong(e.getValue());
          case "length" -> length = Long.parseLong(e.getValue());
          default -> { }
        }
      } catch (NumberFormatException bad) {
        throw new InvalidModelException(file + ": initializer " + t.getName() + " has a malformed " + e.getKey());
      }
    }
    if (location == null || !DATA_FILE.matcher(location).matches() || location.contains("..")) {
      throw new InvalidModelException(file + ": initializer " + t.getName() + " refers to external data \""
          + location + "\", which is not a plain file name inside the model folder");
    }
    Path data = folder.resolve(location);
    try {
      long size = Files.size(data);
      if (offset < 0 || (length >= 0 && (length > size || offset > size - length)) || offset > size) {
        throw new InvalidModelException(file + ": initializer " + t.getName() + " reads bytes [" + offset + ", "
            + (length < 0 ? "end" : offset + length) + ") of " + location + ", which has " + size);
      }
      return new ExternalRange(data, offset, length < 0 ? size - offset : length);
    } catch (IOException e) {
      throw new InvalidModelException(file + ": external data file " + location + " (for " + t.getName()
          + ") is missing");
    }
  }
}
