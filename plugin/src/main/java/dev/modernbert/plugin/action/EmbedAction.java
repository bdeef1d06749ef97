package dev.modernbert.plugin.action;

import org.opensearch.action.ActionType;

/** Embeds texts with a model of this node ({@code POST _plugins/_modernbert/_embed}). */
public final class EmbedAction extends ActionType<EmbedResponse> {
  public static final String NAME = "cluster:admin/modernbert/embed";
  public static final EmbedAction INSTANCE = new EmbedAction();

  private EmbedAction() {
    super(NAME, EmbedResponse::new);
  }
}
