package dev.modernbert.elasticsearch.rest;

import static org.elasticsearch.rest.RestRequest.Method.POST;

import dev.modernbert.elasticsearch.query.InferenceFailures;
import dev.modernbert.inference.engine.TextEmbedder;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.TextEmbeddingRequest;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestChannel;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

/**
 * {@code POST /_plugins/_modernbert/_embed {"model", "texts": [...], "prefix"?, "normalize"?}} → vectors, for RAG
 * clients and debugging, on this node's inference queue: a question-sized request in the query lane, larger ones
 * with bulk work. A full queue answers 429.
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
    TextEmbeddingRequest texts;
    try (XContentParser p = request.contentParser()) {
      texts = TextEmbeddingRequest.parse(p.map());
    }
    InferenceServices s = services.get();
    return channel -> {
      try {
        s.queue().submit(texts.lane(), texts.tokens(), () -> answer(channel, s, texts));
      } catch (RuntimeException e) {
        channel.sendResponse(new RestResponse(channel, InferenceFailures.forElasticsearch(e)));
      }
    };
  }

  private static void answer(RestChannel channel, InferenceServices s, TextEmbeddingRequest texts) {
    try {
      TextEmbeddingRequest.Result r = texts.embed(s.registry());
      XContentBuilder b = channel.newBuilder();
      b.startObject().field("model", r.model()).field("dimension", r.dimension()).field("device", r.device());
      b.startArray("embeddings");
      for (TextEmbedder.Embedding e : r.embeddings()) {
        b.startObject().field("tokens", e.tokens()).field("truncated", e.truncated()).array("embedding", e.vector())
            .endObject();
      }
      b.endArray().endObject();
      channel.sendResponse(new RestResponse(RestStatus.OK, b));
    } catch (Exception e) {
      try {
        channel.sendResponse(new RestResponse(channel, InferenceFailures.forElasticsearch(e)));
      } catch (IOException io) {
        e.addSuppressed(io);
      }
    }
  }
}
