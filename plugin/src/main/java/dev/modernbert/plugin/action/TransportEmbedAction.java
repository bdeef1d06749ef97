package dev.modernbert.plugin.action;

import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.TextEmbedder;
import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import java.util.List;
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
    try {
      s.queue().submit(InferenceQueue.laneFor(request.tokens()), request.tokens(), () -> {
        if (cancelled.getAsBoolean()) {
          listener.onFailure(new TaskCancelledException("embed request cancelled before it ran"));
          return;
        }
        try {
          LoadedModel m = s.registry().get(request.model());
          List<TextEmbedder.Embedding> result = m.embedder(m.folder().maxTokens())
              .embed(request.texts(), request.prefix(), request.normalize());
          listener.onResponse(new EmbedResponse(request.model(), m.folder().hiddenSize(), m.encoder().device(), result));
        } catch (Exception e) {
          listener.onFailure(InferenceFailures.forOpenSearch(e));
        }
      });
    } catch (Exception e) {
      listener.onFailure(InferenceFailures.forOpenSearch(e));
    }
  }
}
