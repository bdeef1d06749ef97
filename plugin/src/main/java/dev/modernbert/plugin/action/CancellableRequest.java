package dev.modernbert.plugin.action;

import java.io.IOException;
import java.util.Map;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;

/**
 * A request whose task can be cancelled ({@code POST _tasks/<id>/_cancel}, or the REST client closing its
 * connection): work not yet started is then dropped.
 */
abstract class CancellableRequest extends ActionRequest {
  CancellableRequest() {}

  CancellableRequest(StreamInput in) throws IOException {
    super(in);
  }

  @Override
  public ActionRequestValidationException validate() {
    return null;
  }

  @Override
  public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
    return new CancellableTask(id, type, action, getDescription(), parentTaskId, headers) {
      @Override
      public boolean shouldCancelChildrenOnCancellation() {
        return true;
      }
    };
  }
}
