package dev.modernbert.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.POST;

import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.TextEmbedder;
import dev.modernbert.inference.registry.InferenceServices;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code POST /_plugins/_modernbert/_embed {"model", "texts": [...], "prefix"?, "normalize"?}} → vectors, for
 * RAG clients and debugging. Texts over the model's limit are truncated (keeping {@code </s>}); the response
 * says how many tokens each vector was computed from.
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

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
    Map<String, Object> body;
    try (XContentParser p = request.contentParser()) {
      body = p.map();
    }
    String model = requireString(body, "model");
    Object rawTexts = body.get("texts");
    if (!(rawTexts instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException("[texts] must be a non-empty array of strings");
    }
    List<String> texts = new ArrayList<>();
    for (Object t : list) {
      if (!(t instanceof String s)) {
        throw new IllegalArgumentException("[texts] must contain only strings, found " + t);
      }
      texts.add(s);
    }
    Object prefix = body.get("prefix");
    boolean normalize = !Boolean.FALSE.equals(body.get("normalize"));
    long tokens = texts.stream().mapToLong(t -> t.length() + 2).sum();
    InferenceServices s = services.get();
    return channel -> {
      try {
        s.queue().submit(tokens, () -> {
          try {
            LoadedModel m = s.registry().get(model);
            String p = prefix instanceof String str ? str : "";
            List<TextEmbedder.Embedding> result = m.embedder(m.folder().maxTokens()).embed(texts, p, normalize);
            Responses.ok(channel, b -> {
              b.field("model", model);
              b.field("dimension", m.folder().hiddenSize());
              b.field("device", m.encoder().device());
              b.startArray("embeddings");
              for (TextEmbedder.Embedding e : result) {
                b.startObject().field("tokens", e.tokens()).array("embedding", e.vector()).endObject();
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
