package dev.modernbert.inference.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the small JSON files of a model folder, refusing oversized ones before reading them. */
public final class JsonFiles {
  /** Limit for config-like files (config.json, modules.json, pooling configs). */
  public static final long MAX_CONFIG_BYTES = 1L << 20;
  /** Limit for shard indexes, which list every tensor. */
  public static final long MAX_INDEX_BYTES = 64L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonFiles() {}

  /** The JSON object in {@code file}; throws {@link InvalidModelException} naming the file otherwise. */
  public static JsonNode read(Path file, long maxBytes) {
    return read(file, maxBytes, true);
  }

  /** The JSON array in {@code file}; throws {@link InvalidModelException} naming the file otherwise. */
  public static JsonNode readArray(Path file, long maxBytes) {
    return read(file, maxBytes, false);
  }

  private static JsonNode read(Path file, long maxBytes, boolean object) {
    String name = file.getFileName().toString();
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new InvalidModelException(name + ": " + size + " bytes exceeds the limit of " + maxBytes);
      }
      JsonNode node = JSON.readTree(Files.readAllBytes(file));
      if (node == null || (object ? !node.isObject() : !node.isArray())) {
        throw new InvalidModelException(name + ": not a JSON " + (object ? "object" : "array"));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new InvalidModelException(name + ": invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidModelException(name + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** The shared mapper (thread-safe once configured). */
  public static ObjectMapper mapper() {
    return JSON;
  }
}
