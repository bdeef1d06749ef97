package dev.modernbert.inference.download;

import dev.modernbert.inference.model.Checkpoint;
import dev.modernbert.inference.model.EmbeddingProfile;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.model.ModernBertConfig;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Downloads a model folder from the Hugging Face hub through its {@code <endpoint>/<id>/resolve/<revision>/<file>}
 * URLs: {@code config.json}, the tokenizer files, the sentence-transformers metadata and the safetensors weights
 * (single or sharded). Files the hub stores in LFS are checked against their sha256 ({@code X-Linked-Etag}).
 * Each file is written to {@code <file>.incomplete} and renamed when complete and verified, so a folder never
 * holds a partial file under its real name; an interrupted download resumes with a range request, and files
 * already present and verified are not fetched again.
 */
public final class ModelDownloader {
  private static final Pattern REPO_ID = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer.model");
  private static final List<String> OPTIONAL_FILES = List.of("tokenizer_config.json", "special_tokens_map.json",
      EmbeddingProfile.MODULES_FILE, EmbeddingProfile.PROMPTS_FILE, EmbeddingProfile.SBERT_CONFIG_FILE,
      "1_Pooling/config.json");

  private final HttpClient http;
  private final URI endpoint;
  private final String token;
  private final Consumer<String> progress;

  /**
   * @param token a hub access token sent as a bearer token (gated or private models), or {@code null}
   * @param progress receives one line per file
   */
  public ModelDownloader(URI endpoint, String token, Consumer<String> progress) {
    this.endpoint = endpoint;
    this.token = token;
    this.progress = progress;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** What the hub says about one file before it is fetched; {@code sha256} is null for non-LFS files. */
  record RemoteFile(String name, long size, String sha256) {}

  /** Downloads {@code repoId} at {@code revision} into {@code out}; returns the files it holds. */
  public List<String> download(String repoId, String revision, Path out) throws IOException {
    if (!REPO_ID.matcher(repoId).matches() || repoId.contains("..")) {
      throw new IllegalArgumentException("invalid model id [" + repoId + "]: expected owner/name");
    }
    if (!REVISION.matcher(revision).matches() || revision.contains("..")) {
      throw new IllegalArgumentException("invalid revision [" + revision + "]");
    }
    Files.createDirectories(out);
    List<String> done = new ArrayList<>();
    fetch(repoId, revision, out, required(repoId, revision, ModernBertConfig.FILE), done);
    boolean tokenizer = false;
    for (String name : TOKENIZER_FILES) {
      tokenizer |= fetch(repoId, revision, out, head(repoId, revision, name), done);
    }
    if (!tokenizer) {
      throw new IOException(repoId + " has neither tokenizer.json nor tokenizer.model");
    }
    for (String name : OPTIONAL_FILES) {
      fetch(repoId, revision, out, head(repoId, revision, name), done);
    }
    if (!fetch(repoId, revision, out, head(repoId, revision, Checkpoint.SINGLE_FILE), done)) {
      fetch(repoId, revision, out, required(repoId, revision, Checkpoint.INDEX_FILE), done);
      for (String shard : Checkpoint.shardNames(JsonFiles.read(out.resolve(Checkpoint.INDEX_FILE),
          JsonFiles.MAX_INDEX_BYTES))) {
        fetch(repoId, revision, out, required(repoId, revision, shard), done);
      }
    }
    return done;
  }

  private URI url(String repoId, String revision, String name) {
    return URI.create(endpoint + "/" + repoId + "/resolve/" + revision + "/" + name);
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30));
    return token == null || token.isBlank() ? b : b.header("Authorization", "Bearer " + token);
  }

  private RemoteFile required(String repoId, String revision, String name) throws IOException {
    RemoteFile f = head(repoId, revision, name);
    if (f == null) {
      throw new FileNotFoundException(repoId + "@" + revision + ": " + name + " not found (HTTP 404 from " + endpoint
          + ")");
    }
    return f;
  }

  /** HEAD without following redirects: the hub puts an LFS file's sha256 and size on its redirect. */
  RemoteFile head(String repoId, String revision, String name) throws IOException {
    HttpRequest req = request(url(repoId, revision, name)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<Void> r = send(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build(), req,
        HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() == 404) {
      return null;
    }
    if (r.statusCode() >= 400) {
      throw new IOException(name + ": HTTP " + r.statusCode() + " from " + req.uri()
          + (r.statusCode() == 401 || r.statusCode() == 403 ? " (a gated or private model needs HF_TOKEN)" : ""));
    }
    String linked = r.headers().firstValue("x-linked-etag").orElse("").replace("W/", "").replace("\"", "");
    long size = r.headers().firstValueAsLong("x-linked-size")
        .orElse(r.statusCode() == 200 ? r.headers().firstValueAsLong("content-length").orElse(-1) : -1);
    return new RemoteFile(name, size, SHA256.matcher(linked).matches() ? linked : null);
  }

  /** Fetches {@code f} unless absent ({@code null}) or already present and verified; true when present. */
  private boolean fetch(String repoId, String revision, Path out, RemoteFile f, List<String> done) throws IOException {
    if (f == null) {
      return false;
    }
    Path target = out.resolve(f.name()).normalize();
    if (!target.startsWith(out.normalize())) {
      throw new IOException(f.name() + " would be written outside " + out);
    }
    if (Files.isRegularFile(target) && verified(target, f)) {
      progress.accept("present  " + f.name());
      done.add(f.name());
      return true;
    }
    Files.createDirectories(target.getParent());
    Path part = target.resolveSibling(target.getFileName() + ".incomplete");
    long offset = Files.isRegularFile(part) ? Files.size(part) : 0;
    if (f.size() >= 0 && offset > f.size()) {
      Files.delete(part);
      offset = 0;
    }
    HttpRequest.Builder req = request(url(repoId, revision, f.name())).GET();
    if (offset > 0) {
      req.header("Range", "bytes=" + offset + "-");
    }
    HttpResponse<InputStream> r = send(http, req.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() != 200 && r.statusCode() != 206) {
        throw new IOException(f.name() + ": HTTP " + r.statusCode() + " from " + r.uri());
      }
      boolean append = r.statusCode() == 206;
      progress.accept((append ? "resume   " : "fetch    ") + f.name() + (append ? " from byte " + offset : "")
          + (f.size() >= 0 ? " (" + f.size() + " bytes)" : ""));
      copy(body, part, append, f);
    }
    if (!verified(part, f)) {
      Files.delete(part);
      throw new IOException(f.name() + ": downloaded bytes do not match the hub's " + (f.sha256() != null
          ? "sha256 " + f.sha256() : "size " + f.size()) + "; the partial file was removed, run again");
    }
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    done.add(f.name());
    return true;
  }

  private static void copy(InputStream body, Path part, boolean append, RemoteFile f) throws IOException {
    try (OutputStream o = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
      long written = append ? Files.size(part) : 0;
      byte[] buf = new byte[1 << 16];
      for (int n; (n = body.read(buf)) >= 0; ) {
        written += n;
        if (f.size() >= 0 && written > f.size()) {
          throw new IOException(f.name() + ": the server sent more than the announced " + f.size() + " bytes");
        }
        o.write(buf, 0, n);
      }
    }
  }

  /** Whether {@code file} has the hub's sha256 (LFS files) or size (others, when announced). */
  private static boolean verified(Path file, RemoteFile f) throws IOException {
    if (f.size() >= 0 && Files.size(file) != f.size()) {
      return false;
    }
    return f.sha256() == null || f.sha256().equals(sha256(file));
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> HttpResponse<T> send(HttpClient client, HttpRequest req, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    try {
      return client.send(req, handler);
    } catch (IOException e) {
      throw new IOException("cannot reach " + req.uri() + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
