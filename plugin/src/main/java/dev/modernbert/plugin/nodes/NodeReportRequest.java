package dev.modernbert.plugin.nodes;

import java.io.IOException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.transport.TransportRequest;

/** The request one node receives: report yourself. */
public final class NodeReportRequest extends TransportRequest {
  public NodeReportRequest() {}

  public NodeReportRequest(StreamInput in) throws IOException {
    super(in);
  }
}
