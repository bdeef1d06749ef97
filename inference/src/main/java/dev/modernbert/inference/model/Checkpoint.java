package dev.modernbert.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tensors of a Hugging Face checkpoint: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}. Tensor names are looked up without the optional {@code model.}
 * prefix, so MLM checkpoints ({@code model.layers.0…}) and bare encoders ({@code layers.0…}) read alike.
 */
public final class Checkpoint implements AutoCloseable {
  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private static final Pattern SHARD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}\\.safetensors");
  private static final String PREFIX = "model.";

  private final List<SafetensorsFile> files;
  private final Map<String, Entry> byName;

  private record Entry(SafetensorsFile file, TensorInfo info) {}

  private Checkpoint(List<SafetensorsFile> files, Map<String, Entry> byName) {
    this.files = files;
    this.byName = byName;
  }

  /** Whether {@code folder} holds safetensors weights (single file or sharded). */
  public static boolean isPresent(Path folder) {
    return Files.isRegularFile(folder.resolve(SINGLE_FILE)) || Files.isRegularFile(folder.resolve(INDEX_FILE));
  }

  /** Opens the checkpoint in {@code folder}, validating every header and the shard index. */
  public static Checkpoint open(Path folder) {
    List<String> shardNames = shardNames(folder);
    List<SafetensorsFile> files = new ArrayList<>();
    Map<String, Entry> byName = new HashMap<>();
    try {
      for (String shard : shardNames) {
        SafetensorsFile f = SafetensorsFile.open(folder.resolve(shard));
        files.add(f);
        for (TensorInfo info : f.tensors().values()) {
          String key = canonical(info.name());
          Entry previous = byName.put(key, new Entry(f, info));
          if (previous != null) {
            throw new InvalidModelException(shard + ": tensor " + info.name() + " is also stored as "
                + previous.info().name() + " in " + previous.file().path().getFileName());
          }
        }
      }
    } catch (RuntimeException e) {
      files.forEach(SafetensorsFile::close);
      throw e;
    }
    return new Checkpoint(files, byName);
  }

  private static List<String> shardNames(Path folder) {
    if (Files.isRegularFile(folder.resolve(INDEX_FILE))) {
      List<String> shards = shardNames(JsonFiles.read(folder.resolve(INDEX_FILE), JsonFiles.MAX_INDEX_BYTES));
      for (String shard : shards) {
        if (!Files.isRegularFile(folder.resolve(shard))) {
          throw new InvalidModelException(INDEX_FILE + ": shard " + shard + " is missing");
        }
      }
      return shards;
    }
    if (Files.isRegularFile(folder.resolve(SINGLE_FILE))) {
      return List.of(SINGLE_FILE);
    }
    throw new InvalidModelException(folder.getFileName() + ": no " + SINGLE_FILE + " or " + INDEX_FILE);
  }

  /**
   * The distinct shard files a parsed {@code model.safetensors.index.json} names, in order; each must be a plain
   * file name ending in {@code .safetensors}, so no shard can lie outside the folder.
   */
  public static List<String> shardNames(JsonNode index) {
    JsonNode map = index.get("weight_map");
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw new InvalidModelException(INDEX_FILE + ": weight_map is missing or empty");
    }
    Map<String, Boolean> shards = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String shard = e.getValue().asText("");
      if (!e.getValue().isTextual() || !SHARD_NAME.matcher(shard).matches()) {
        throw new InvalidModelException(INDEX_FILE + ": tensor " + e.getKey() + " maps to invalid shard name "
            + e.getValue());
      }
      shards.put(shard, true);
    }
    return new ArrayList<>(shards.keySet());
  }

  private static String canonical(String name) {
    return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
  }

  /** Whether a tensor of this (prefix-less) name exists. */
  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /** The header entry of {@code name}, or throws naming the missing tensor. */
  public TensorInfo info(String name) {
    return entry(name).info();
  }

  /** The file that stores {@code name}. */
  public SafetensorsFile fileOf(String name) {
    return entry(name).file();
  }

  private Entry entry(String name) {
    Entry e = byName.get(name);
    if (e == null) {
      throw new InvalidModelException(describeFiles() + ": tensor " + name + " (or " + PREFIX + name + ") is missing");
    }
    return e;
  }

  /** The values of {@code name} as floats, after checking that its shape is {@code expectedShape}. */
  public float[] floats(String name, long... expectedShape) {
    Entry e = entry(name);
    if (!e.info().hasShape(expectedShape)) {
      throw new InvalidModelException(e.file().path().getFileName() + ": tensor " + e.info().name() + " has shape "
          + Arrays.toString(e.info().shape()) + ", config.json implies " + Arrays.toString(expectedShape));
    }
    return e.file().floats(e.info());
  }

  /** All tensor names (without the {@code model.} prefix). */
  public Iterable<String> names() {
    return byName.keySet();
  }

  private String describeFiles() {
    return files.size() == 1 ? files.get(0).path().getFileName().toString() : INDEX_FILE;
  }

  @Override
  public void close() {
    files.forEach(SafetensorsFile::close);
  }
}
