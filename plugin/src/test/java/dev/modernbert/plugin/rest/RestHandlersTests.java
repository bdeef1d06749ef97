package dev.modernbert.plugin.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.NodeReports;
import dev.modernbert.inference.testing.TestModels;
import dev.modernbert.plugin.action.EmbedAction;
import dev.modernbert.plugin.action.EmbedRequest;
import dev.modernbert.plugin.action.EmbedResponse;
import dev.modernbert.plugin.action.MappingAction;
import dev.modernbert.plugin.action.MappingRequest;
import dev.modernbert.plugin.action.TransportEmbedAction;
import dev.modernbert.plugin.action.TransportMappingAction;
import dev.modernbert.plugin.nodes.NodeReport;
import dev.modernbert.plugin.nodes.NodeReportAction;
import dev.modernbert.plugin.nodes.NodeReportsResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.opensearch.Version;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionType;
import org.opensearch.cluster.ClusterName;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.RestResponse;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;
import org.opensearch.test.client.NoOpNodeClient;
import org.opensearch.test.rest.FakeRestChannel;
import org.opensearch.test.rest.FakeRestRequest;
import org.opensearch.test.rest.RestActionTestCase;

/**
 * The REST handlers over real inference services (a random-weight model): what each returns, and the status of
 * each kind of bad request. The node reports go through OpenSearch's RestController; {@code _embed} and
 * {@code _mapping} run their transport actions' code on a client that, like a node's, gives each request a
 * cancellable task.
 */
@SuppressWarnings("unchecked")
public class RestHandlersTests extends RestActionTestCase {
  private InferenceServices services;
  private Path dir;
  private LocalActions localActions;

  /** A node client that runs this plugin's node-local actions on their task, in the calling thread. */
  private final class LocalActions extends NoOpNodeClient {
    LocalActions() {
      super("rest-handlers-tests");
    }

    @Override
    public String getLocalNodeId() {
      return "node-a";
    }

    @Override
    public <Q extends ActionRequest, R extends ActionResponse> Task executeLocally(ActionType<R> action, Q request,
        ActionListener<R> listener) {
      CancellableTask task = (CancellableTask) request.createTask(1, "transport", action.name(), TaskId.EMPTY_TASK_ID,
          Map.of());
      if ((Object) action == MappingAction.INSTANCE) {
        ActionListener.completeWith(listener, () -> (R) TransportMappingAction.mapping(services,
            (MappingRequest) request));
      } else {
        assertSame(EmbedAction.INSTANCE, action);
        TransportEmbedAction.embed(services, (EmbedRequest) request, task::isCancelled,
            (ActionListener<EmbedResponse>) listener);
      }
      return task;
    }
  }

  @Before
  public void registerHandlers() throws Exception {
    dir = createTempDir();
    services = TestModels.services(dir, Runnable::run, 1_000);
    localActions = new LocalActions();
    for (var h : List.of(RestNodeReportAction.models(), RestNodeReportAction.stats())) {
      controller().registerHandler(h);
    }
  }

  @After
  public void closeClient() {
    localActions.close();
  }

  private RestResponse send(RestRequest.Method method, String path, Map<String, String> params, String body) {
    FakeRestRequest.Builder b = new FakeRestRequest.Builder(xContentRegistry()).withMethod(method).withPath(path)
        .withParams(new HashMap<>(params));
    if (body != null) {
      b.withContent(new BytesArray(body), XContentType.JSON);
    }
    FakeRestRequest request = b.build();
    FakeRestChannel channel = new FakeRestChannel(request, true, 1);
    if (path.endsWith("/_embed") || path.endsWith("/_mapping")) {
      BaseRestHandler handler = path.endsWith("/_embed") ? new RestEmbedAction() : new RestMappingAction();
      if (path.endsWith("/_mapping")) {
        request.params().put("name", path.split("/")[4]);
      }
      try {
        handler.handleRequest(request, channel, localActions);
      } catch (Exception e) {
        // as RestController answers a handler that throws
        try {
          channel.sendResponse(new BytesRestResponse(channel, e));
        } catch (IOException io) {
          throw new UncheckedIOException(io);
        }
      }
      return channel.capturedResponse();
    }
    ThreadContext context = verifyingClient.threadPool().getThreadContext();
    try (ThreadContext.StoredContext ignored = context.stashContext()) {
      controller().dispatchRequest(request, channel, context);
    }
    return channel.capturedResponse();
  }

  private static Map<String, Object> json(RestResponse r) {
    return XContentHelper.convertToMap(r.content(), false, XContentType.JSON).v2();
  }

  private static <T> T at(Map<String, Object> m, String... path) {
    Object o = m;
    for (String p : path) {
      o = ((Map<String, Object>) o).get(p);
    }
    return (T) o;
  }

  public void testMappingIsALuceneVectorOfTheModelsDimension() {
    RestResponse r = send(RestRequest.Method.GET, "/_plugins/_modernbert/models/m/_mapping", Map.of("field", "body"),
        null);
    assertEquals(RestStatus.OK, r.status());
    Map<String, Object> body = json(r);
    int dim = services.registry().describe(TestModels.MODEL).hiddenSize();
    Map<String, Object> embedding = at(body, "mappings", "properties", "body_chunks", "properties", "embedding");
    assertEquals("knn_vector", embedding.get("type"));
    assertEquals(dim, embedding.get("dimension"));
    assertEquals("lucene", at(embedding, "method", "engine"));
    assertEquals("nested", at(body, "mappings", "properties", "body_chunks", "type"));
    assertEquals(Boolean.TRUE, at(body, "settings", "index.knn"));
    assertEquals("m", at(body, "mappings", "_meta", "model"));
    // PUT /<index> refuses any other top-level key, so the body is sent as it is
    assertEquals(Set.of("settings", "mappings"), body.keySet());
  }

  public void testUnknownOrInvalidModelNamesAreBadRequests() {
    RestResponse unknown = send(RestRequest.Method.GET, "/_plugins/_modernbert/models/nope/_mapping", Map.of(), null);
    assertEquals(RestStatus.BAD_REQUEST, unknown.status());
    assertThat(unknown.content().utf8ToString(), containsString("nope"));
    RestResponse invalid = send(RestRequest.Method.GET, "/_plugins/_modernbert/models/..%2Fetc/_mapping", Map.of(),
        null);
    assertEquals(RestStatus.BAD_REQUEST, invalid.status());
  }

  public void testEmbedReturnsUnitVectorsAndRefusesBadBodies() {
    RestResponse r = send(RestRequest.Method.POST, "/_plugins/_modernbert/_embed", Map.of(),
        "{\"model\":\"m\",\"texts\":[\"今日は晴れです\",\"雨\",\"" + "雨。".repeat(10_000) + "\"]}");
    assertEquals(r.content().utf8ToString(), RestStatus.OK, r.status());
    List<Map<String, Object>> embeddings = at(json(r), "embeddings");
    assertEquals(3, embeddings.size());
    for (Map<String, Object> e : embeddings) {
      List<Number> v = at(e, "embedding");
      assertEquals(1.0, v.stream().mapToDouble(x -> x.doubleValue() * x.doubleValue()).sum(), 1e-5);
      assertTrue((Integer) e.get("tokens") >= 3);
    }
    assertEquals(List.of(false, false, true), embeddings.stream().map(e -> e.get("truncated")).toList());
    assertEquals("the model's limit", 8192, embeddings.get(2).get("tokens"));
    RestResponse noTexts = send(RestRequest.Method.POST, "/_plugins/_modernbert/_embed", Map.of(), "{\"model\":\"m\"}");
    assertEquals(RestStatus.BAD_REQUEST, noTexts.status());
    assertThat(noTexts.content().utf8ToString(), containsString("[texts]"));
    RestResponse number = send(RestRequest.Method.POST, "/_plugins/_modernbert/_embed", Map.of(),
        "{\"model\":\"m\",\"texts\":[1]}");
    assertEquals(RestStatus.BAD_REQUEST, number.status());
    Map<String, String> namedField = Map.of("{\"model\":\"m\",\"texts\":[\"雨\"],\"prefix\":5}", "[prefix]",
        "{\"model\":\"m\",\"texts\":[\"雨\"],\"normalize\":\"no\"}", "[normalize]",
        "{\"model\":\"m\",\"text\":[\"雨\"]}", "[text]");
    namedField.forEach((body, field) -> {
      RestResponse refused = send(RestRequest.Method.POST, "/_plugins/_modernbert/_embed", Map.of(), body);
      assertEquals(body, RestStatus.BAD_REQUEST, refused.status());
      assertThat(refused.content().utf8ToString(), containsString(field));
    });
  }

  /** A model that cannot be compiled because the node's cache path is a file: the error does not name the path. */
  public void testErrorsNameNoPathOfTheNode() throws Exception {
    Files.writeString(dir.resolve("compiled"), "not a directory");
    RestResponse r = send(RestRequest.Method.POST, "/_plugins/_modernbert/_embed", Map.of(),
        "{\"model\":\"m\",\"texts\":[\"雨\"]}");
    String body = r.content().utf8ToString();
    assertEquals(body, RestStatus.INTERNAL_SERVER_ERROR, r.status());
    assertThat(body, containsString("cannot compile the ONNX graph"));
    assertThat(body, not(containsString(dir.toString())));
    assertThat(body, not(containsString(dir.toRealPath().toString())));
  }

  /** The node-report action answered by this node's real report, as the transport layer would for one node. */
  private void answerNodeReports() {
    DiscoveryNode node = new DiscoveryNode("first", "node-a", buildNewFakeTransportAddress(), Map.of(), Set.of(),
        Version.CURRENT);
    verifyingClient.setExecuteVerifier((action, request) -> {
      assertSame(NodeReportAction.INSTANCE, action);
      return new NodeReportsResponse(new ClusterName("c"), List.of(new NodeReport(node, NodeReports.models(services),
          NodeReports.stats(services))), List.of());
    });
  }

  public void testStatsAndModelsReportEachNode() {
    Map<String, Object> embedded = json(send(RestRequest.Method.POST, "/_plugins/_modernbert/_embed", Map.of(),
        "{\"model\":\"m\",\"texts\":[\"文\"]}"));
    int tokens = ((Number) ((List<Map<String, Object>>) embedded.get("embeddings")).get(0).get("tokens")).intValue();
    answerNodeReports();
    Map<String, Object> models = json(send(RestRequest.Method.GET, "/_plugins/_modernbert/models", Map.of(), null));
    assertEquals(1, ((Number) at(models, "_nodes", "successful")).intValue());
    // the test framework's file system adds stray entries to temp folders: those are listed (as failed), too
    Map<String, Object> m = ((List<Map<String, Object>>) at(models, "nodes", "node-a", "models")).stream()
        .filter(x -> x.get("name").equals("m")).findFirst().orElseThrow();
    assertEquals("loaded", m.get("state"));
    assertEquals(services.registry().describe("m").hiddenSize(), m.get("dimension"));
    Map<String, Object> stats = json(send(RestRequest.Method.GET, "/_plugins/_modernbert/stats", Map.of(), null));
    Map<String, Object> s = at(stats, "nodes", "node-a");
    assertEquals(1000, ((Number) at(s, "queue", "max_tokens")).intValue());
    assertEquals(1, ((Number) at(s, "models", "m", "batches")).intValue());
    assertEquals(tokens, ((Number) at(s, "models", "m", "batch_tokens")).intValue());
    assertEquals(tokens, ((Number) at(s, "batch_tokens")).intValue());
    assertEquals(0, ((Number) at(s, "padded_tokens")).intValue());
    assertEquals(0.0, ((Number) at(s, "padding_ratio")).doubleValue(), 0.0);
    assertEquals("first", s.get("name"));
  }
}
