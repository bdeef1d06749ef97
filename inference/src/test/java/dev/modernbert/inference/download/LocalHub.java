package dev.modernbert.inference.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for the Hugging Face hub, serving folders in its layout: {@code /<id>/resolve/<rev>/<file>}.
 * Safetensors files behave like LFS files: the resolve URL answers 302 to {@code /cdn/...} with the file's
 * sha256 in {@code X-Linked-Etag} and its size in {@code X-Linked-Size}; the CDN honours range requests. Files
 * can be served corrupted (one byte flipped) or cut off once mid-transfer. Missing files are 404.
 */
public final class LocalHub implements AutoCloseable {
  private final HttpServer server;
  private final Path root;
  public final Set<String> corrupted = ConcurrentHashMap.newKeySet();
  public final Set<String> cutOnce = ConcurrentHashMap.newKeySet();
  public final List<String> requests = new CopyOnWriteArrayList<>();

  /** Serves {@code root/<owner>/<name>/<file>} as revision {@code main} of {@code owner/name}. */
  public LocalHub(Path root) throws IOException {
    this.root = root;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String range = x.getRequestHeaders().getFirst("Range");
      requests.add(x.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
      boolean cdn = path.startsWith("/cdn/");
      String[] parts = (cdn ? path.substring(5) : path.substring(1)).split("/", 5);
      if (parts.length < 5 || !parts[2].equals("resolve") || !parts[3].equals("main")) {
        x.sendResponseHeaders(404, -1);
        return;
      }
      Path file = root.resolve(parts[0]).resolve(parts[1]).resolve(parts[4]).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        x.sendResponseHeaders(404, -1);
        return;
      }
      byte[] bytes = Files.readAllBytes(file);
      boolean lfs = parts[4].endsWith(".safetensors");
      if (lfs && !cdn) {
        x.getResponseHeaders().add("X-Linked-Etag", "\"" + ModelDownloader.sha256(file) + "\"");
        x.getResponseHeaders().add("X-Linked-Size", String.valueOf(bytes.length));
        x.getResponseHeaders().add("Location", "/cdn" + path);
        x.sendResponseHeaders(302, -1);
        return;
      }
      if (corrupted.contains(parts[4])) {
        bytes[bytes.length / 2] ^= 1;
      }
      int from = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
      if (range != null) {
        x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
      }
      if (x.getRequestMethod().equals("HEAD")) {
        x.getResponseHeaders().add("Content-Length", String.valueOf(bytes.length));
        x.sendResponseHeaders(200, -1);
        return;
      }
      x.sendResponseHeaders(range == null ? 200 : 206, bytes.length - from);
      OutputStream body = x.getResponseBody();
      if (cutOnce.remove(parts[4])) {
        body.write(bytes, from, (bytes.length - from) / 3);
        body.flush();
        throw new IOException("cut off on purpose");
      }
      body.write(bytes, from, bytes.length - from);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
