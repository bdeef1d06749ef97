package dev.modernbert.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.model.JsonFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small JSON-over-HTTP client for one node's REST port on 127.0.0.1. */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** How much of a failed bulk's answer an error message quotes. */
  private static final int ERROR_CHARS = 500;

  private final String base;

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** A response: its status and parsed JSON body. */
  public record Response(int status, JsonNode body) {
    /** This response when it succeeded (status below 300); else an IOException saying what failed and why. */
    public Response ok(String what) throws IOException {
      if (status >= 300) {
        throw new IOException("failed to " + what + ": HTTP " + status + " " + body);
      }
      return this;
    }
  }

  public Response get(String path) throws IOException {
    return send("GET", path, null, "application/json");
  }

  public Response put(String path, String json) throws IOException {
    return send("PUT", path, json, "application/json");
  }

  public Response post(String path, String json) throws IOException {
    return send("POST", path, json, "application/json");
  }

  public Response delete(String path) throws IOException {
    return send("DELETE", path, null, "application/json");
  }

  /** POST of newline-delimited JSON (the {@code _bulk} format). */
  public Response bulk(String path, String ndjson) throws IOException {
    return send("POST", path, ndjson, "application/x-ndjson");
  }

  /**
   * A {@code _bulk} into {@code index} that must succeed for every item; else an IOException naming the index,
   * with the start of the answer.
   */
  public Response bulkInto(String index, String ndjson) throws IOException {
    Response r = bulk("/" + index + "/_bulk", ndjson).ok("bulk into " + index);
    if (r.body().path("errors").asBoolean()) {
      String answer = r.body().toString();
      throw new IOException("bulk into " + index + " failed: "
          + (answer.length() <= ERROR_CHARS ? answer : answer.substring(0, ERROR_CHARS) + "…"));
    }
    return r;
  }

  private Response send(String method, String path, String body, String type) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(30))
        .header("content-type", type)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = r.body().length == 0 ? JsonFiles.mapper().nullNode() : JsonFiles.mapper().readTree(r.body());
      return new Response(r.statusCode(), json);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
