package dev.modernbert.plugin.action;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;

import dev.modernbert.inference.registry.InferenceQueue;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.ModelRegistry;
import dev.modernbert.inference.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opensearch.ExceptionsHelper;
import org.opensearch.action.support.PlainActionFuture;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.Strings;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.tasks.TaskCancelledException;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The {@code _embed} transport action over real inference services (a random-weight model): the queue's
 * backpressure, its lanes, cancellation, and the request and response on the wire.
 */
public class TransportEmbedActionTests extends OpenSearchTestCase {
  private final List<Runnable> held = new ArrayList<>();

  private static EmbedRequest request(String... texts) {
    return new EmbedRequest(TestModels.MODEL, List.of(texts), "", true);
  }

  public void testAFullQueueAnswers429AndKeepsWhatItAccepted() throws Exception {
    InferenceServices services = TestModels.services(createTempDir(), held::add, 1_000);
    PlainActionFuture<EmbedResponse> accepted = PlainActionFuture.newFuture();
    TransportEmbedAction.embed(services, request("長い文。".repeat(200)), () -> false, accepted);
    assertFalse("queued, not run", accepted.isDone());
    PlainActionFuture<EmbedResponse> rejected = PlainActionFuture.newFuture();
    TransportEmbedAction.embed(services, request("長い文。".repeat(200)), () -> false, rejected);
    Exception e = expectThrows(Exception.class, rejected::actionGet);
    assertEquals(RestStatus.TOO_MANY_REQUESTS, ExceptionsHelper.status(e));
    assertThat(e.getMessage(), containsString("queue_max_tokens"));
    assertEquals(1, services.queue().rejections());
    held.forEach(Runnable::run);
    assertEquals(1, accepted.actionGet().embeddings().size());
  }

  public void testAQuestionSizedRequestRunsInTheQueryLaneAndALargerOneWithBulkWork() throws Exception {
    InferenceServices services = TestModels.services(createTempDir(), held::add, Runnable::run, 1_000_000);
    PlainActionFuture<EmbedResponse> question = PlainActionFuture.newFuture();
    TransportEmbedAction.embed(services, request("瑠璃色はどんな色？".repeat(10)), () -> false, question);
    assertTrue("answered while bulk work waits", question.isDone());
    PlainActionFuture<EmbedResponse> larger = PlainActionFuture.newFuture();
    TransportEmbedAction.embed(services, request("瑠".repeat((int) InferenceQueue.QUERY_SIZED_TOKENS)), () -> false,
        larger);
    assertFalse("queued with bulk work", larger.isDone());
    assertEquals(1, held.size());
    held.get(0).run();
    assertTrue(larger.isDone());
    assertEquals(0, services.queue().queuedTokens());
  }

  public void testACancelledRequestThatHasNotStartedIsDropped() throws Exception {
    InferenceServices services = TestModels.services(createTempDir(), held::add, 1_000_000);
    AtomicBoolean cancelled = new AtomicBoolean();
    PlainActionFuture<EmbedResponse> f = PlainActionFuture.newFuture();
    TransportEmbedAction.embed(services, request("雨"), cancelled::get, f);
    cancelled.set(true);
    held.forEach(Runnable::run);
    assertThat(expectThrows(Exception.class, f::actionGet), instanceOf(TaskCancelledException.class));
    ModelRegistry.ModelInfo model = services.registry().list().stream()
        .filter(m -> m.name().equals(TestModels.MODEL)).findFirst().orElseThrow();
    assertEquals("the model was not even loaded", ModelRegistry.State.AVAILABLE, model.state());
  }

  public void testRequestsAndResponsesCrossTheWireUnchanged() throws Exception {
    EmbedRequest r = new EmbedRequest("ruri", List.of("一", "二つ目"), "検索クエリ: ", false);
    EmbedRequest read = copyWriteable(r, new NamedWriteableRegistry(List.of()), EmbedRequest::new);
    assertEquals(List.of("一", "二つ目"), read.texts());
    assertEquals("ruri", read.model());
    assertEquals("検索クエリ: ", read.prefix());
    assertFalse(read.normalize());
    InferenceServices services = TestModels.services(createTempDir(), Runnable::run, 1_000_000);
    PlainActionFuture<EmbedResponse> f = PlainActionFuture.newFuture();
    TransportEmbedAction.embed(services, request("晴れ", "雨"), () -> false, f);
    EmbedResponse response = f.actionGet();
    EmbedResponse copy = copyWriteable(response, new NamedWriteableRegistry(List.of()), EmbedResponse::new);
    assertEquals(Strings.toString(XContentType.JSON, response), Strings.toString(XContentType.JSON, copy));
    MappingRequest m = copyWriteable(new MappingRequest("ruri", "body"), new NamedWriteableRegistry(List.of()),
        MappingRequest::new);
    assertEquals("body", m.field());
    MappingResponse mapping = TransportMappingAction.mapping(services, new MappingRequest(TestModels.MODEL, "text"));
    MappingResponse mappingCopy = copyWriteable(mapping, new NamedWriteableRegistry(List.of()), MappingResponse::new);
    assertEquals(Strings.toString(XContentType.JSON, mapping), Strings.toString(XContentType.JSON, mappingCopy));
  }
}
