package dev.modernbert.inference.download;

import java.net.URI;
import java.util.Map;

/**
 * Where models are downloaded from: an explicit endpoint, else {@code HF_ENDPOINT} (the Hugging Face
 * convention for mirrors), else {@code https://huggingface.co}. Only http and https are accepted.
 */
public final class HubEndpoint {
  public static final String DEFAULT = "https://huggingface.co";

  private HubEndpoint() {}

  /** The endpoint to use; {@code explicit} may be {@code null}. */
  public static URI resolve(String explicit, Map<String, String> environment) {
    String e = explicit != null && !explicit.isBlank() ? explicit : environment.getOrDefault("HF_ENDPOINT", DEFAULT);
    URI uri = URI.create(e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("download endpoint must be an http(s) URL, got " + e);
    }
    return uri;
  }
}
