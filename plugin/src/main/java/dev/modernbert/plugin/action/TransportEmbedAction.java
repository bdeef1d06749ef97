package dev.modernbert.plugin.action;

import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.TextEmbeddingRequest;
import java.util.function.BooleanSupplier;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.tasks.TaskCancelledException;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;

/**
 * Embeds on the plugin's pools through the node's inference queue: a question-sized request
 * ({@link InferenceQueue#QUERY_SIZED_TOKENS}) in the query lane, so a RAG client embedding its question does not
 * wait behind ingest, larger ones with bulk work. A full queue answers 429; a cancelled task that has not started
 * is dropped.
 */
public final class TransportEmbedAction extends HandledTransportAction<EmbedRequest, EmbedResponse> {
  private final InferenceServices services;

  @Inject
  public TransportEmbedAction(TransportService transportService, ActionFilters actionFilters,
      InferenceServices services) {
    super(EmbedAction.NAME, transportService, actionFilters, EmbedRequest::new);
    this.services = services;
  }

  @Override
  protected void doExecute(Task task, EmbedRequest request, ActionListener<EmbedResponse> listener) {
    embed(services, request, () -> task instanceof CancellableTask c && c.isCancelled(), listener);
  }

  /** Queues the request; {@code listener} hears the vectors or the failure, as a client should see it. */
  public static void embed(InferenceServices s, EmbedRequest request, BooleanSupplier cancelled,
      ActionListener<EmbedResponse> listener) {
    TextEmbeddingRequest texts = request.engineRequest();
    try {
      s.queue().submit(texts.lane(), texts.tokens(), () -> {
        if (cancelled.getAsBoolean()) {
          listener.onFailure(new TaskCancelledException("embed request cancelled before it ran"));
          return;
        }
        try {
          TextEmbeddingRequest.Result r = texts.embed(s.registry());
          listener.onResponse(new EmbedResponse(r.model(), r.dimension(), r.device(), r.embeddings()));
        } catch (Exception e) {
          listener.onFailure(InferenceFailures.forOpenSearch(e));
        }
      });
    } catch (Exception e) {
      listener.onFailure(InferenceFailures.forOpenSearch(e));
    }
  }
}
