package dev.modernbert.plugin.nodes;

import org.opensearch.action.ActionType;

/** Downloads a Hugging Face model into every node's data path; each node answers with its model report. */
public final class ModelDownloadAction extends ActionType<NodeReportsResponse> {
  public static final String NAME = "cluster:admin/modernbert/model/download";
  public static final ModelDownloadAction INSTANCE = new ModelDownloadAction();

  private ModelDownloadAction() {
    super(NAME, NodeReportsResponse::new);
  }
}
