package dev.modernbert.tools.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.modernbert.cluster.Http;
import dev.modernbert.inference.model.JsonFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bench commands' bulk client, against a local HTTP endpoint that records what reaches it. */
class IngestBenchmarkTest {
  private final Map<String, Integer> received = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private volatile boolean itemErrors;
  /** How many bulks must be in flight together before any is answered. */
  private volatile CountDownLatch overlap = new CountDownLatch(1);
  private HttpServer server;

  @BeforeEach
  void startEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/idx/_bulk", this::bulk);
    server.start();
  }

  @AfterEach
  void stopEndpoint() {
    server.stop(0);
  }

  private void bulk(HttpExchange exchange) throws IOException {
    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      String[] lines = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 0; i < lines.length; i += 2) {
        JsonNode action = JsonFiles.mapper().readTree(lines[i]);
        String body = JsonFiles.mapper().readTree(lines[i + 1]).path("body").asText();
        received.merge(action.path("index").path("_id").asText() + "=" + body, 1, Integer::sum);
      }
      // the first bulks wait for each other: the clients' bulks overlap by construction, not by timing
      overlap.countDown();
      overlap.await(30, TimeUnit.SECONDS);
      byte[] answer = ("{\"errors\":" + itemErrors + ",\"items\":[]}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
      exchange.close();
    }
  }

  private static List<String> texts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "文書" + i).toList();
  }

  @Test
  void severalClientsSendEveryDocumentOnceUnderItsId() throws IOException {
    overlap = new CountDownLatch(3);
    IngestBenchmark.bulkIndex(new Http(server.getAddress().getPort()), "idx", texts(1050), "test", 3);
    assertEquals(1050, received.size());
    IntStream.range(0, 1050).forEach(i -> assertEquals(1, received.get(i + "=文書" + i), "document " + i));
    assertEquals(3, mostInFlight.get(), "11 bulks from 3 clients: 3 at once, never more");
  }

  @Test
  void oneClientSendsOneBulkAtATime() throws IOException {
    IngestBenchmark.bulkIndex(new Http(server.getAddress().getPort()), "idx", texts(250), "test");
    assertEquals(250, received.size());
    assertEquals(1, mostInFlight.get());
  }

  @Test
  void anItemErrorFailsTheRunNamingTheIndex() {
    itemErrors = true;
    IOException e = assertThrows(IOException.class,
        () -> IngestBenchmark.bulkIndex(new Http(server.getAddress().getPort()), "idx", texts(300), "test", 2));
    assertTrue(e.getMessage().startsWith("bulk into idx failed"), e.getMessage());
  }
}
