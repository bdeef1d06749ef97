package dev.modernbert.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.GET;

import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.ModelRegistry;
import dev.modernbert.inference.runtime.OnnxEncoder;
import dev.modernbert.inference.stats.InferenceStats;
import dev.modernbert.inference.stats.LatencyRecorder;
import java.util.List;
import java.util.function.Supplier;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code GET /_plugins/_modernbert/stats}: this node's documents, chunks, tokens, batches, padding ratio,
 * latencies (tokenize / infer / total, p50 / p99), queue depth in tokens, rejections, failures, cache hits
 * and devices.
 */
public final class RestStatsAction extends BaseRestHandler {
  private final Supplier<InferenceServices> services;

  public RestStatsAction(Supplier<InferenceServices> services) {
    this.services = services;
  }

  @Override
  public String getName() {
    return "modernbert_stats";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(GET, "/_plugins/_modernbert/stats"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
    InferenceServices s = services.get();
    String nodeId = client.getLocalNodeId();
    return channel -> Responses.ok(channel, b -> {
      InferenceStats st = s.stats();
      b.startObject("nodes").startObject(nodeId);
      b.field("documents", st.documents.sum());
      b.field("chunks", st.chunks.sum());
      b.field("tokens", st.tokens.sum());
      b.field("failures", st.failures.sum());
      models(b, s.registry());
      b.startObject("latency");
      latency(b, "tokenize", st.tokenize);
      latency(b, "infer", st.infer);
      latency(b, "total", st.total);
      b.endObject();
      b.startObject("queue").field("queued_tokens", s.queue().queuedTokens())
          .field("max_tokens", s.queue().maxTokens()).field("rejections", s.queue().rejections()).endObject();
      b.startObject("query_cache").field("hits", st.cacheHits.sum()).field("misses", st.cacheMisses.sum()).endObject();
      b.endObject().endObject();
    });
  }

  private static void models(XContentBuilder b, ModelRegistry registry) throws java.io.IOException {
    long batches = 0;
    double padded = 0;
    b.startObject("models");
    for (ModelRegistry.ModelInfo m : registry.list()) {
      if (m.state() != ModelRegistry.State.LOADED) {
        continue;
      }
      b.startObject(m.name()).field("device", m.device());
      if (registry.get(m.name()).encoder() instanceof OnnxEncoder e) {
        b.field("batches", e.batchCount()).field("padding_ratio", e.paddingRatio());
        batches += e.batchCount();
        padded += e.paddingRatio() * e.batchCount();
      }
      b.endObject();
    }
    b.endObject();
    b.field("batches", batches);
    b.field("padding_ratio", batches == 0 ? 0 : padded / batches);
  }

  private static void latency(XContentBuilder b, String name, LatencyRecorder r) throws java.io.IOException {
    b.startObject(name).field("p50_ms", r.percentile(50)).field("p99_ms", r.percentile(99)).field("count", r.count())
        .endObject();
  }
}
