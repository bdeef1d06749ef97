package dev.modernbert.plugin.rest;

import dev.modernbert.plugin.InferenceFailures;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestChannel;

/** Sending results and errors from the plugin's thread pool back over a REST channel. */
final class Responses {
  private Responses() {}

  /** Something that writes a JSON object body. */
  interface Body {
    void write(XContentBuilder b) throws Exception;
  }

  static void ok(RestChannel channel, Body body) {
    try {
      XContentBuilder b = channel.newBuilder();
      b.startObject();
      body.write(b);
      b.endObject();
      channel.sendResponse(new BytesRestResponse(RestStatus.OK, b));
    } catch (Exception e) {
      error(channel, e);
    }
  }

  /** The error with its status: 429 for a full queue, 400 for bad input, 500 otherwise. */
  static void error(RestChannel channel, Exception e) {
    Exception mapped = InferenceFailures.forOpenSearch(e);
    try {
      channel.sendResponse(new BytesRestResponse(channel, mapped));
    } catch (Exception inner) {
      channel.sendResponse(new BytesRestResponse(RestStatus.INTERNAL_SERVER_ERROR, String.valueOf(e.getMessage())));
    }
  }
}
