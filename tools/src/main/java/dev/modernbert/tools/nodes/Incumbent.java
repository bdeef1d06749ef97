package dev.modernbert.tools.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.cluster.Http;
import dev.modernbert.cluster.LocalCluster;
import dev.modernbert.cluster.VectorJson;
import dev.modernbert.inference.model.JsonFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * OpenSearch's own semantic search on the same node, for side-by-side benchmarks: ml-commons serving a local
 * ONNX text-embedding model and neural-search's {@code text_embedding} processor and {@code neural} query,
 * installed from their Maven Central zips and deployed offline (PLATFORM.md: registering from a {@code file://}
 * URL, PyTorch natives placed where DJL would download them).
 */
final class Incumbent {
  /** Where DJL 0.31.1 inside ml-commons 3.6 looks for libtorch, under the node's {@code path.data}. */
  private static final String PYTORCH_DIR = "data/ml_cache/pytorch/2.5.1-cpu-precxx11-linux-x86_64";
  private static final String DJL_VERSION = "0.31.1";
  private static final Duration TASK_TIMEOUT = Duration.ofMinutes(10);

  private final Http http;
  final String modelId;

  private Incumbent(Http http, String modelId) {
    this.http = http;
    this.modelId = modelId;
  }

  /** The folder {@code ./modernbert} fetches the incumbent's artifacts into. */
  static Path artifactsDir() {
    return Path.of(System.getProperty("modernbert.incumbent", "tools/target/incumbent"));
  }

  /** {@code base} with job-scheduler, ml-commons and neural-search installed after k-NN. */
  static LocalCluster.Artifacts artifacts(LocalCluster.Artifacts base) throws IOException {
    Path dir = artifactsDir();
    return base.with(List.of(LocalCluster.Artifacts.find(dir, "opensearch-job-scheduler-"),
        LocalCluster.Artifacts.find(dir, "opensearch-ml-plugin-"), LocalCluster.Artifacts.find(dir, "neural-search-")));
  }

  /**
   * Node settings ml-commons needs here: local models on a data node, registration from a file URL, and its
   * memory circuit breakers off (on a 2 GB heap they reject requests at random; this plugin has none).
   */
  static Map<String, String> nodeSettings() {
    return Map.of("plugins.ml_commons.only_run_on_ml_node", "false",
        "plugins.ml_commons.allow_registering_model_via_url", "true",
        "plugins.ml_commons.jvm_heap_memory_threshold", "100",
        "plugins.ml_commons.native_memory_threshold", "100");
  }

  /**
   * Puts libtorch and DJL's JNI library where DJL would download them on deploy (offline here). The Central
   * libtorch 2.5.1 is built with the C++11 ABI, so the matching JNI build is the {@code cpu} one.
   */
  static void prefillPytorch(Path node) throws IOException {
    Path target = Files.createDirectories(node.resolve(PYTORCH_DIR));
    Path natives = LocalCluster.Artifacts.find(artifactsDir(), "pytorch-native-cpu-", ".jar");
    try (ZipFile jar = new ZipFile(natives.toFile())) {
      for (ZipEntry e : jar.stream().filter(e -> e.getName().startsWith("pytorch/cpu/linux-x86_64/")
          && !e.isDirectory()).toList()) {
        extract(jar, e, target.resolve(Path.of(e.getName()).getFileName().toString()));
      }
    }
    try (ZipFile jar = new ZipFile(LocalCluster.Artifacts.find(artifactsDir(), "pytorch-jni-", ".jar").toFile())) {
      extract(jar, jar.getEntry("jnilib/linux-x86_64/cpu/libdjl_torch.so"),
          target.resolve(DJL_VERSION + "-libdjl_torch.so"));
    }
  }

  private static void extract(ZipFile jar, ZipEntry e, Path to) throws IOException {
    try (InputStream in = jar.getInputStream(e)) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Registers the exported-ONNX folder {@code export} with ml-commons (as a zip beside it, mean pooling and
   * L2 normalization done by ml-commons) and deploys it.
   */
  static Incumbent deploy(Http http, Path export, String name, int dimension) throws IOException, InterruptedException {
    Path zip = export.resolveSibling(export.getFileName() + ".zip");
    String sha256 = zip(export, zip);
    ObjectNode body = JsonFiles.mapper().createObjectNode().put("name", name).put("version", "1.0.0")
        .put("function_name", "TEXT_EMBEDDING").put("model_format", "ONNX")
        .put("model_content_hash_value", sha256).put("model_content_size_in_bytes", Files.size(zip))
        .put("url", zip.toUri().toString());
    body.putObject("model_config").put("model_type", "modernbert").put("embedding_dimension", dimension)
        .put("framework_type", "sentence_transformers").put("pooling_mode", "MEAN").put("normalize_result", true);
    JsonNode registered = task(http, http.post("/_plugins/_ml/models/_register", body.toString())
        .ok("register the model in ml-commons").body());
    String modelId = registered.path("model_id").asText();
    task(http, http.post("/_plugins/_ml/models/" + modelId + "/_deploy", "{}").ok("deploy the model").body());
    Incumbent incumbent = new Incumbent(http, modelId);
    incumbent.awaitReady();
    return incumbent;
  }

  /** Waits for an ml-commons task to complete; returns its final state. */
  private static JsonNode task(Http http, JsonNode started) throws IOException, InterruptedException {
    String id = started.path("task_id").asText();
    long deadline = System.nanoTime() + TASK_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode t = http.get("/_plugins/_ml/tasks/" + id).ok("read ml-commons task " + id).body();
      switch (t.path("state").asText()) {
        case "COMPLETED" -> {
          return t;
        }
        case "FAILED", "COMPLETED_WITH_ERROR" -> throw new IOException("ml-commons task " + id + " failed: " + t);
        default -> Thread.sleep(1000);
      }
    }
    throw new IOException("ml-commons task " + id + " did not finish in " + TASK_TIMEOUT);
  }

  /** A deployed model answers "not ready" for a few seconds; waits until it embeds. */
  private void awaitReady() throws IOException, InterruptedException {
    for (int i = 0; i < 60; i++) {
      if (http.post(predictPath(), predictBody(List.of("準備")).toString()).status() == 200) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new IOException("ml-commons model " + modelId + " never became ready");
  }

  /** The vectors ml-commons computes for {@code texts} ({@code _predict}, one call). */
  List<float[]> embed(List<String> texts) throws IOException {
    JsonNode r = http.post(predictPath(), predictBody(texts).toString()).ok("predict with ml-commons").body();
    List<float[]> out = new ArrayList<>();
    for (JsonNode result : r.path("inference_results")) {
      out.add(VectorJson.floats(result.path("output").get(0).path("data")));
    }
    return out;
  }

  private String predictPath() {
    return "/_plugins/_ml/_predict/text_embedding/" + modelId;
  }

  private static ObjectNode predictBody(List<String> texts) {
    ObjectNode body = JsonFiles.mapper().createObjectNode().put("return_number", true);
    ArrayNode docs = body.putArray("text_docs");
    texts.forEach(docs::add);
    body.putArray("target_response").add("sentence_embedding");
    return body;
  }

  /** A neural-search {@code text_embedding} pipeline from {@code body} to {@code vectorField}. */
  String pipeline(String vectorField) {
    ObjectNode p = JsonFiles.mapper().createObjectNode();
    embedding(p.putArray("processors"), "body", vectorField);
    return p.toString();
  }

  /**
   * neural-search's way with long text: {@code text_chunking} of {@code body} into {@code passagesField}
   * ({@code fixed_token_length} windows of the {@code standard} tokenizer), then {@code text_embedding} of each
   * passage into the nested {@code vectorsField} (one {@code knn} vector per passage).
   */
  String chunkingPipeline(String passagesField, String vectorsField, int tokenLimit, double overlapRate) {
    ObjectNode p = JsonFiles.mapper().createObjectNode();
    ArrayNode processors = p.putArray("processors");
    ObjectNode chunking = processors.addObject().putObject("text_chunking");
    chunking.putObject("algorithm").putObject("fixed_token_length").put("token_limit", tokenLimit)
        .put("overlap_rate", overlapRate).put("tokenizer", "standard");
    chunking.putObject("field_map").put("body", passagesField);
    embedding(processors, passagesField, vectorsField);
    return p.toString();
  }

  private void embedding(ArrayNode processors, String from, String to) {
    processors.addObject().putObject("text_embedding").put("model_id", modelId).putObject("field_map").put(from, to);
  }

  /** A neural-search {@code neural} query for {@code text} on {@code vectorField}. */
  String neuralQuery(String vectorField, String text, int k) {
    return search("neural", vectorField, k, c -> c.put("query_text", text).put("model_id", modelId));
  }

  /** The k-NN query {@code neural} runs on {@code vectorField}, with its {@code vector} given. */
  String knnQuery(String vectorField, float[] vector, int k) {
    return search("knn", vectorField, k, c -> c.set("vector", JsonFiles.mapper().valueToTree(vector)));
  }

  /** A search for the {@code k} best documents (their titles) by a {@code query} clause on {@code field}. */
  private static String search(String query, String field, int k, Consumer<ObjectNode> clause) {
    ObjectNode q = JsonFiles.mapper().createObjectNode().put("size", k);
    q.putObject("_source").putArray("includes").add("title");
    clause.accept(q.putObject("query").putObject(query).putObject(field).put("k", k));
    return q.toString();
  }

  /** Zips {@code dir}'s files (flat, as ml-commons unpacks them) into {@code zip}; returns the zip's SHA-256. */
  private static String zip(Path dir, Path zip) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    // the digest is taken on the way to the file: the zip is not read back
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(zip), sha256);
        ZipOutputStream z = new ZipOutputStream(out)) {
      z.setLevel(1);
      for (Path f : files) {
        z.putNextEntry(new ZipEntry(f.getFileName().toString()));
        Files.copy(f, z);
        z.closeEntry();
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }
}
