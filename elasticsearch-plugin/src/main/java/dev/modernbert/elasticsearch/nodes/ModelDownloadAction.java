package dev.modernbert.elasticsearch.nodes;

import java.io.IOException;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.nodes.BaseNodesRequest;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.transport.AbstractTransportRequest;

/** Makes every node download hub model {@code id} at {@code revision} as model {@code name}. */
public final class ModelDownloadAction {
  public static final ActionType<NodeReportsResponse> INSTANCE = new ActionType<>("cluster:admin/modernbert/download");

  private ModelDownloadAction() {}

  /** The request on the node that fans out. */
  public static final class Request extends BaseNodesRequest {
    final Source source;

    public Request(Source source) {
      super((String[]) null);
      this.source = source;
    }
  }

  /** What to fetch and what to call it: the request each node receives. */
  public static final class Source extends AbstractTransportRequest {
    final String name;
    final String id;
    final String revision;

    public Source(String name, String id, String revision) {
      this.name = name;
      this.id = id;
      this.revision = revision;
    }

    Source(StreamInput in) throws IOException {
      super(in);
      name = in.readString();
      id = in.readString();
      revision = in.readString();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
      super.writeTo(out);
      out.writeString(name);
      out.writeString(id);
      out.writeString(revision);
    }
  }
}
