package dev.modernbert.plugin.action;

import org.opensearch.action.ActionType;

/** The index body for a model's vectors ({@code GET _plugins/_modernbert/models/{name}/_mapping}). */
public final class MappingAction extends ActionType<MappingResponse> {
  public static final String NAME = "cluster:admin/modernbert/mapping";
  public static final MappingAction INSTANCE = new MappingAction();

  private MappingAction() {
    super(NAME, MappingResponse::new);
  }
}
