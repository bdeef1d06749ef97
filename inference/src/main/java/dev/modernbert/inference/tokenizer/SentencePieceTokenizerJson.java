package dev.modernbert.inference.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.model.InvalidModelException;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.tokenizer.schema.SentencePieceModel.ModelProto;
import dev.modernbert.inference.tokenizer.schema.SentencePieceModel.ModelProto.SentencePiece;
import dev.modernbert.inference.tokenizer.schema.SentencePieceModel.TrainerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds, in memory, the {@code tokenizer.json} that the Hugging Face {@code tokenizers} library uses for a
 * SentencePiece Unigram {@code tokenizer.model} with the ModernBERT-Ja conventions (MODERNBERT.md §5.0):
 * no normalizer, Metaspace with {@code prepend_scheme "never"} and {@code split false}, byte fallback, and
 * {@code <s> $A </s>} framing. Control, unknown and user-defined pieces become added tokens; when the folder
 * has a {@code tokenizer_config.json} its {@code added_tokens_decoder} flags are used as published.
 */
public final class SentencePieceTokenizerJson {
  public static final String MODEL_FILE = "tokenizer.model";
  public static final String CONFIG_FILE = "tokenizer_config.json";

  private static final long MAX_MODEL_BYTES = 64L << 20;
  private static final int MAX_PIECES = 1 << 21;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SentencePieceTokenizerJson() {}

  /** The tokenizer.json text equivalent to {@code folder/tokenizer.model}. */
  public static String build(Path folder) {
    ModelProto model = parse(folder.resolve(MODEL_FILE));
    JsonNode addedFlags = readAddedTokenFlags(folder.resolve(CONFIG_FILE));
    return toJson(model, addedFlags).toString();
  }

  /** Parses and validates a SentencePiece model file. */
  public static ModelProto parse(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_MODEL_BYTES) {
        throw new InvalidModelException(MODEL_FILE + ": " + size + " bytes exceeds the limit of " + MAX_MODEL_BYTES);
      }
      ModelProto model;
      try (InputStream in = Files.newInputStream(file)) {
        model = ModelProto.parseFrom(in);
      }
      validate(model);
      return model;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new InvalidModelException(MODEL_FILE + ": not a SentencePiece model: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InvalidModelException(MODEL_FILE + ": cannot be read: " + e.getMessage(), e);
    }
  }

  private static void validate(ModelProto model) {
    int n = model.getPiecesCount();
    if (n == 0 || n > MAX_PIECES) {
      throw new InvalidModelException(MODEL_FILE + ": has " + n + " pieces");
    }
    TrainerSpec spec = model.getTrainerSpec();
    if (spec.getModelType() != TrainerSpec.ModelType.UNIGRAM) {
      throw new InvalidModelException(MODEL_FILE + ": model_type " + spec.getModelType()
          + " is not supported (only UNIGRAM); supply a tokenizer.json instead");
    }
    if (spec.getUnkId() < 0 || spec.getUnkId() >= n) {
      throw new InvalidModelException(MODEL_FILE + ": unk_id " + spec.getUnkId() + " is out of range");
    }
    if (model.getNormalizerSpec().getAddDummyPrefix() || !model.getNormalizerSpec().getName().equals("identity")) {
      throw new InvalidModelException(MODEL_FILE + ": only the identity normalizer without a dummy prefix is supported"
          + " (normalizer " + model.getNormalizerSpec().getName() + "); supply a tokenizer.json instead");
    }
    for (int i = 0; i < n; i++) {
      SentencePiece p = model.getPieces(i);
      if (p.getPiece().isEmpty() || !Float.isFinite(p.getScore())) {
        throw new InvalidModelException(MODEL_FILE + ": piece " + i + " is empty or has a non-finite score");
      }
    }
  }

  private static JsonNode readAddedTokenFlags(Path tokenizerConfig) {
    if (!Files.isRegularFile(tokenizerConfig)) {
      return null;
    }
    JsonNode cfg = JsonFiles.read(tokenizerConfig, JsonFiles.MAX_CONFIG_BYTES);
    JsonNode decoder = cfg.get("added_tokens_decoder");
    return decoder != null && decoder.isObject() ? decoder : null;
  }

  static ObjectNode toJson(ModelProto model, JsonNode addedFlags) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    root.set("added_tokens", addedTokens(model, addedFlags));
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Metaspace");
    pre.put("replacement", "\u2581");
    pre.put("prepend_scheme", "never");
    pre.put("split", false);
    root.set("post_processor", template(model));
    root.set("decoder", decoder());
    ObjectNode m = root.putObject("model");
    m.put("type", "Unigram");
    m.put("unk_id", model.getTrainerSpec().getUnkId());
    ArrayNode vocab = m.putArray("vocab");
    for (SentencePiece p : model.getPiecesList()) {
      vocab.addArray().add(p.getPiece()).add((double) p.getScore());
    }
    m.put("byte_fallback", model.getTrainerSpec().getByteFallback());
    return root;
  }

  private static ArrayNode addedTokens(ModelProto model, JsonNode flags) {
    ArrayNode out = JSON.createArrayNode();
    for (int id = 0; id < model.getPiecesCount(); id++) {
      SentencePiece p = model.getPieces(id);
      JsonNode published = flags == null ? null : flags.get(Integer.toString(id));
      boolean added = switch (p.getType()) {
        case CONTROL, UNKNOWN, USER_DEFINED -> true;
        default -> false;
      };
      if (!added && published == null) {
        continue;
      }
      ObjectNode t = out.addObject();
      t.put("id", id);
      t.put("content", p.getPiece());
      t.put("single_word", flag(published, "single_word", false));
      t.put("lstrip", flag(published, "lstrip", false));
      t.put("rstrip", flag(published, "rstrip", false));
      t.put("normalized", flag(published, "normalized", false));
      t.put("special", flag(published, "special", p.getType() != SentencePiece.Type.USER_DEFINED));
    }
    return out;
  }

  private static boolean flag(JsonNode published, String name, boolean fallback) {
    return published != null && published.has(name) ? published.get(name).asBoolean(fallback) : fallback;
  }

  private static ObjectNode template(ModelProto model) {
    String bos = model.getPieces(model.getTrainerSpec().getBosId()).getPiece();
    String eos = model.getPieces(model.getTrainerSpec().getEosId()).getPiece();
    ObjectNode post = JSON.createObjectNode();
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    special(single, bos, 0);
    sequence(single, "A", 0);
    special(single, eos, 0);
    ArrayNode pair = post.putArray("pair");
    special(pair, bos, 0);
    sequence(pair, "A", 0);
    special(pair, eos, 0);
    sequence(pair, "B", 1);
    special(pair, eos, 1);
    ObjectNode specials = post.putObject("special_tokens");
    for (Map.Entry<String, Integer> e : Map.of(bos, model.getTrainerSpec().getBosId(),
        eos, model.getTrainerSpec().getEosId()).entrySet()) {
      ObjectNode s = specials.putObject(e.getKey());
      s.put("id", e.getKey());
      s.putArray("ids").add(e.getValue());
      s.putArray("tokens").add(e.getKey());
    }
    return post;
  }

  private static void special(ArrayNode a, String token, int typeId) {
    ObjectNode s = a.addObject().putObject("SpecialToken");
    s.put("id", token);
    s.put("type_id", typeId);
  }

  private static void sequence(ArrayNode a, String id, int typeId) {
    ObjectNode s = a.addObject().putObject("Sequence");
    s.put("id", id);
    s.put("type_id", typeId);
  }

  private static ObjectNode decoder() {
    ObjectNode d = JSON.createObjectNode();
    d.put("type", "Sequence");
    ArrayNode steps = d.putArray("decoders");
    ObjectNode replace = steps.addObject();
    replace.put("type", "Replace");
    replace.putObject("pattern").put("String", "\u2581");
    replace.put("content", " ");
    steps.addObject().put("type", "ByteFallback");
    steps.addObject().put("type", "Fuse");
    return d;
  }
}
