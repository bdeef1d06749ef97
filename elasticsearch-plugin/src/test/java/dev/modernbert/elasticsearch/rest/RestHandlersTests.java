package dev.modernbert.elasticsearch.rest;

import static org.hamcrest.Matchers.containsString;

import dev.modernbert.elasticsearch.nodes.NodeReport;
import dev.modernbert.elasticsearch.nodes.NodeReportAction;
import dev.modernbert.elasticsearch.nodes.NodeReportsResponse;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.NodeReports;
import dev.modernbert.inference.testing.TestModels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.cluster.node.DiscoveryNodeUtils;
import org.elasticsearch.common.bytes.BytesArray;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.test.client.NoOpNodeClient;
import org.elasticsearch.test.rest.FakeRestChannel;
import org.elasticsearch.test.rest.FakeRestRequest;
import org.elasticsearch.threadpool.TestThreadPool;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.xcontent.XContentType;
import org.elasticsearch.xcontent.json.JsonXContent;

/**
 * The Elasticsearch edition's REST handlers on Elasticsearch's test framework, with the real engine and a
 * random-weight model: {@code _embed} answers vectors, refuses bad bodies and answers 429 when the queue is full;
 * {@code _mapping} gives a nested dense_vector body of the model's dimension; the reports list every node.
 */
// the models directory must hold only the test's model: Lucene's ExtrasFS would add stray "extra0" entries to it
@LuceneTestCase.SuppressFileSystems("ExtrasFS")
public class RestHandlersTests extends ESTestCase {
  private final List<Runnable> held = new ArrayList<>();

  private InferenceServices services(long queueTokens) throws Exception {
    return TestModels.services(createTempDir(), held::add, queueTokens);
  }

  private static FakeRestChannel send(BaseRestHandler handler, RestRequest request) throws Exception {
    FakeRestChannel channel = new FakeRestChannel(request, true);
    handler.handleRequest(request, channel, null);
    return channel;
  }

  private RestRequest post(String body) {
    return new FakeRestRequest.Builder(xContentRegistry()).withMethod(RestRequest.Method.POST)
        .withPath("/_plugins/_modernbert/_embed").withContent(new BytesArray(body), XContentType.JSON).build();
  }

  private Map<String, Object> json(FakeRestChannel channel) throws Exception {
    return JsonXContent.jsonXContent.createParser(parserConfig(), channel.capturedResponse().content().streamInput())
        .map();
  }

  public void testEmbedAnswersUnitVectorsAndAFullQueue429() throws Exception {
    InferenceServices s = services(100);
    RestEmbedAction embed = new RestEmbedAction(() -> s);
    FakeRestChannel first = send(embed, post("{\"model\":\"m\",\"texts\":[\"" + "東".repeat(80) + "\",\"二\"]}"));
    FakeRestChannel second = send(embed, post("{\"model\":\"m\",\"texts\":[\"" + "京".repeat(80) + "\"]}"));
    assertEquals(RestStatus.TOO_MANY_REQUESTS, second.capturedResponse().status());
    assertThat(second.capturedResponse().content().utf8ToString(), containsString("inference queue is full"));
    held.forEach(Runnable::run);
    assertEquals(RestStatus.OK, first.capturedResponse().status());
    Map<String, Object> body = json(first);
    List<?> embeddings = (List<?>) body.get("embeddings");
    assertEquals(2, embeddings.size());
    int dimension = (Integer) body.get("dimension");
    for (Object e : embeddings) {
      List<?> v = (List<?>) ((Map<?, ?>) e).get("embedding");
      assertEquals(dimension, v.size());
      double norm = 0;
      for (Object x : v) {
        norm += ((Number) x).doubleValue() * ((Number) x).doubleValue();
      }
      assertEquals(1.0, norm, 1e-4);
    }
  }

  public void testEmbedRefusesBadBodiesNamingTheField() throws Exception {
    InferenceServices s = services(1_000);
    RestEmbedAction embed = new RestEmbedAction(() -> s);
    assertThat(expectThrows(IllegalArgumentException.class, () -> send(embed, post("{\"model\":\"m\"}"))).getMessage(),
        containsString("[texts]"));
    assertThat(expectThrows(IllegalArgumentException.class,
        () -> send(embed, post("{\"model\":\"m\",\"texts\":[\"a\"],\"pool\":\"max\"}"))).getMessage(),
        containsString("[pool]"));
  }

  public void testMappingIsANestedDenseVectorOfTheModelsDimension() throws Exception {
    InferenceServices s = services(1_000);
    RestMappingAction mapping = new RestMappingAction(() -> s);
    RestRequest request = new FakeRestRequest.Builder(xContentRegistry())
        .withPath("/_plugins/_modernbert/models/m/_mapping")
        .withParams(new HashMap<>(Map.of("name", "m", "field", "text"))).build();
    Map<String, Object> body = json(send(mapping, request));
    Map<?, ?> props = (Map<?, ?>) ((Map<?, ?>) body.get("mappings")).get("properties");
    Map<?, ?> chunks = (Map<?, ?>) props.get("text_chunks");
    assertEquals("nested", chunks.get("type"));
    Map<?, ?> vector = (Map<?, ?>) ((Map<?, ?>) chunks.get("properties")).get("embedding");
    assertEquals("dense_vector", vector.get("type"));
    assertEquals(s.registry().describe("m").hiddenSize(), vector.get("dims"));
    assertEquals(Map.of("type", "hnsw"), vector.get("index_options"));
    assertEquals("modernbert_ja", ((Map<?, ?>) props.get("text")).get("analyzer"));
    RestRequest bad = new FakeRestRequest.Builder(xContentRegistry())
        .withPath("/_plugins/_modernbert/models/m/_mapping")
        .withParams(new HashMap<>(Map.of("name", "m", "index_options", "ivf"))).build();
    assertThat(expectThrows(IllegalArgumentException.class, () -> send(mapping, bad)).getMessage(),
        containsString("[index_options]"));
  }

  /** Every node's report comes back under its id, with the node's name and the report the endpoint asks for. */
  public void testReportsListEveryNodeUnderItsId() throws Exception {
    InferenceServices s = services(1_000);
    TestThreadPool threadPool = new TestThreadPool(getTestName());
    NoOpNodeClient client = new NoOpNodeClient(threadPool) {
      @Override
      @SuppressWarnings("unchecked")
      public <Request extends ActionRequest, Response extends ActionResponse> void doExecute(
          ActionType<Response> action, Request request, ActionListener<Response> listener) {
        assertEquals(NodeReportAction.INSTANCE, action);
        List<NodeReport> nodes = List.of("es-1", "es-2").stream().map(name -> new NodeReport(
            DiscoveryNodeUtils.builder(name + "-id").name(name).build(), NodeReports.models(s), NodeReports.stats(s)))
            .toList();
        listener.onResponse((Response) new NodeReportsResponse(new ClusterName("c"), nodes, List.of()));
      }
    };
    try {
      RestRequest request = new FakeRestRequest.Builder(xContentRegistry()).build();
      FakeRestChannel channel = new FakeRestChannel(request, true);
      RestNodeReportAction.models().handleRequest(request, channel, client);
      Map<String, Object> body = json(channel);
      assertEquals(2, ((Map<?, ?>) body.get("_nodes")).get("successful"));
      Map<?, ?> node = (Map<?, ?>) ((Map<?, ?>) body.get("nodes")).get("es-2-id");
      assertEquals("es-2", node.get("name"));
      assertEquals("m", ((Map<?, ?>) ((List<?>) node.get("models")).get(0)).get("name"));
      channel = new FakeRestChannel(request, true);
      RestNodeReportAction.stats().handleRequest(request, channel, client);
      assertTrue(((Map<?, ?>) ((Map<?, ?>) json(channel).get("nodes")).get("es-1-id")).containsKey("queue"));
    } finally {
      ThreadPool.terminate(threadPool, 10, TimeUnit.SECONDS);
    }
  }
}
