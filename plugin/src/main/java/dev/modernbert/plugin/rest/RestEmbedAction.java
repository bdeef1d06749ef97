package dev.modernbert.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.POST;

import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.TextEmbedder;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code POST /_plugins/_modernbert/_embed {"model", "texts": [...], "prefix"?, "normalize"?}} → vectors, for
 * RAG clients and debugging. Texts over the model's limit are truncated (keeping {@code </s>}); the response
 * says how many tokens each vector was computed from and whether its text was truncated. A question-sized request
 * ({@link InferenceQueue#QUERY_SIZED_TOKENS}) runs in the query lane, so a RAG client embedding its question does
 * not wait behind ingest; larger ones run with bulk work.
 */
public final class RestEmbedAction extends BaseRestHandler {
  private final Supplier<InferenceServices> services;

  public RestEmbedAction(Supplier<InferenceServices> services) {
    this.services = services;
  }

  @Override
  public String getName() {
    return "modernbert_embed";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(POST, "/_plugins/_modernbert/_embed"));
  }

  /** A parsed {@code _embed} body. */
  record EmbedRequest(String model, List<String> texts, String prefix, boolean normalize) {
    private static final Set<String> FIELDS = Set.of("model", "texts", "prefix", "normalize");

    /** The request in {@code body}; refuses unknown fields and values of the wrong type, naming the field. */
    static EmbedRequest parse(Map<String, Object> body) {
      for (String field : body.keySet()) {
        if (!FIELDS.contains(field)) {
          throw new IllegalArgumentException("[" + field + "] is not a field of an embed request (expected one of "
              + FIELDS.stream().sorted().toList() + ")");
        }
      }
      String model = requireString(body, "model");
      if (!(body.get("texts") instanceof List<?> list) || list.isEmpty()) {
        throw new IllegalArgumentException("[texts] must be a non-empty array of strings");
      }
      List<String> texts = new ArrayList<>();
      for (Object t : list) {
        if (!(t instanceof String text)) {
          throw new IllegalArgumentException("[texts] must contain only strings, found " + t);
        }
        texts.add(text);
      }
      Object prefix = body.getOrDefault("prefix", "");
      if (!(prefix instanceof String)) {
        throw new IllegalArgumentException("[prefix] must be a string, found " + prefix);
      }
      Object normalize = body.getOrDefault("normalize", true);
      if (!(normalize instanceof Boolean)) {
        throw new IllegalArgumentException("[normalize] must be true or false, found " + normalize);
      }
      return new EmbedRequest(model, texts, (String) prefix, (Boolean) normalize);
    }

    /** The request's weight in the queue: each text with its prefix. */
    long tokens() {
      return texts.stream().mapToLong(t -> InferenceQueue.estimatedTokens(prefix.length() + t.length())).sum();
    }
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
    EmbedRequest embed;
    try (XContentParser p = request.contentParser()) {
      embed = EmbedRequest.parse(p.map());
    }
    InferenceServices s = services.get();
    return channel -> {
      try {
        s.queue().submit(InferenceQueue.laneFor(embed.tokens()), embed.tokens(), () -> {
          try {
            LoadedModel m = s.registry().get(embed.model());
            List<TextEmbedder.Embedding> result = m.embedder(m.folder().maxTokens())
                .embed(embed.texts(), embed.prefix(), embed.normalize());
            Responses.ok(channel, b -> {
              b.field("model", embed.model());
              b.field("dimension", m.folder().hiddenSize());
              b.field("device", m.encoder().device());
              b.startArray("embeddings");
              for (TextEmbedder.Embedding e : result) {
                b.startObject().field("tokens", e.tokens()).field("truncated", e.truncated())
                    .array("embedding", e.vector()).endObject();
              }
              b.endArray();
            });
          } catch (Exception e) {
            Responses.error(channel, e);
          }
        });
      } catch (Exception e) {
        Responses.error(channel, e);
      }
    };
  }

  static String requireString(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException("[" + field + "] is required and must be a string");
    }
    return s;
  }
}
