package dev.modernbert.plugin.action;

import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.registry.InferenceServices;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.tasks.TaskCancelledException;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/** Reads the model folder's metadata on the generic pool (never on a network thread) and answers the index body. */
public final class TransportMappingAction extends HandledTransportAction<MappingRequest, MappingResponse> {
  private final InferenceServices services;
  private final ThreadPool threadPool;

  @Inject
  public TransportMappingAction(TransportService transportService, ActionFilters actionFilters,
      InferenceServices services, ThreadPool threadPool) {
    super(MappingAction.NAME, transportService, actionFilters, MappingRequest::new);
    this.services = services;
    this.threadPool = threadPool;
  }

  @Override
  protected void doExecute(Task task, MappingRequest request, ActionListener<MappingResponse> listener) {
    threadPool.generic().execute(() -> {
      if (task instanceof CancellableTask c && c.isCancelled()) {
        listener.onFailure(new TaskCancelledException("mapping request cancelled before it ran"));
        return;
      }
      try {
        listener.onResponse(mapping(services, request));
      } catch (Exception e) {
        listener.onFailure(InferenceFailures.forOpenSearch(e));
      }
    });
  }

  /** The index body for the request's model, from its folder's metadata (no weights are read). */
  public static MappingResponse mapping(InferenceServices services, MappingRequest request) {
    ModelFolder folder = services.registry().describe(request.model());
    return new MappingResponse(request.model(), request.field(), folder.hiddenSize(),
        folder.profile().documentPrefix());
  }
}
