package dev.modernbert.plugin.nodes;

import java.io.IOException;
import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.transport.TransportRequest;

/** Download hub model {@code id} at {@code revision} as model {@code name}, on every node. */
public final class ModelDownloadRequest extends BaseNodesRequest<ModelDownloadRequest> {
  private final Source source;

  /** What to fetch and what to call it; also the request each node receives. */
  public static final class Source extends TransportRequest {
    final String name;
    final String id;
    final String revision;

    public Source(String name, String id, String revision) {
      this.name = name;
      this.id = id;
      this.revision = revision;
    }

    public Source(StreamInput in) throws IOException {
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

  public ModelDownloadRequest(Source source) {
    super((String[]) null);
    this.source = source;
  }

  public ModelDownloadRequest(StreamInput in) throws IOException {
    super(in);
    source = new Source(in);
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    source.writeTo(out);
  }

  Source source() {
    return source;
  }
}
