package dev.modernbert.plugin.nodes;

import org.opensearch.action.ActionType;

/** Asks every node (or the named ones) for its models and its embedding statistics. */
public final class NodeReportAction extends ActionType<NodeReportsResponse> {
  public static final String NAME = "cluster:monitor/modernbert/node_report";
  public static final NodeReportAction INSTANCE = new NodeReportAction();

  private NodeReportAction() {
    super(NAME, NodeReportsResponse::new);
  }
}
