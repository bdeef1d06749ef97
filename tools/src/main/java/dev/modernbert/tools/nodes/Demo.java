package dev.modernbert.tools.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.cluster.Http;
import dev.modernbert.cluster.IndexSetup;
import dev.modernbert.cluster.LocalCluster;
import dev.modernbert.cluster.SearchEngine;
import dev.modernbert.tools.cli.Args;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.download.HubEndpoint;
import dev.modernbert.inference.download.ModelDownloader;
import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./modernbert demo [--model DIR|HF_ID|random:SHAPE] [--docs N]} (default {@code cl-nagoya/ruri-v3-30m}): starts a node, creates the pipeline and
 * index, bulk-indexes the bundled Japanese corpus (JSQuAD, CC BY-SA 4.0) plus a few long documents built from
 * it, asks sample questions and prints the ranked documents with their best passages. The node keeps running.
 */
final class Demo {
  private static final String INDEX = "jsquad";
  private static final String DEFAULT_MODEL = "cl-nagoya/ruri-v3-30m";

  private Demo() {}

  static int run(List<String> argv) throws Exception {
    Args a = ClusterMain.options(argv, "model", "docs", "engine");
    SearchEngine engine = ClusterMain.engine(a);
    int port = ClusterMain.defaultPort(engine);
    String model = a.get("model", DEFAULT_MODEL);
    int docs = a.intValue("docs", 1145, 1);
    if (!model.startsWith("random:") && !Files.isDirectory(Path.of(model))) {
      try {
        model = download(model).toString();
      } catch (IOException | IllegalArgumentException e) {
        System.err.println("modernbert demo: cannot download " + model + " (" + e.getMessage() + ").\n" + """
              Give a model folder instead, or run a smoke test with random weights (rankings are meaningless):
                ./modernbert demo --model /path/to/ruri-v3-30m     (a Hugging Face folder: config.json, model.safetensors, tokenizer)
                ./modernbert demo --model random:30m""");
        return 2;
      }
    }
    Path modelsRoot = ClusterMain.workDir().toAbsolutePath().resolve("demo-models");
    String name = prepareModel(model, modelsRoot);
    boolean random = model.startsWith("random:");
    LocalCluster cluster = ClusterMain.cluster(engine);
    System.out.println("starting " + (engine == SearchEngine.OPENSEARCH ? "an OpenSearch node with k-NN" :
        "an Elasticsearch node") + " and modernbert-search (model " + name + ")...");
    ClusterMain.start(cluster, 1, port, modelsRoot, "2g");
    Http http = new Http(port);
    createIndex(http, name);
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    index(http, corpus, Math.min(docs, corpus.paragraphs().size()));
    ask(http, corpus, random, Math.min(docs, corpus.paragraphs().size()));
    System.out.println("\nthe node keeps running at http://127.0.0.1:" + port + " (stop: ./modernbert cluster stop"
        + (engine == SearchEngine.OPENSEARCH ? "" : " --engine " + engine.id()) + ")");
    System.out.println("corpus: JSQuAD v1.3 validation (JGLUE), CC BY-SA 4.0 — see data/README.md");
    return 0;
  }

  /** Downloads a hub model once into the cluster work directory ({@code HF_ENDPOINT}, {@code HF_TOKEN} honoured). */
  private static Path download(String id) throws IOException {
    Path out = ClusterMain.workDir().toAbsolutePath().resolve("hub").resolve(id.replace('/', '_'));
    System.out.println("downloading " + id + " from the Hugging Face hub into " + out + "...");
    new ModelDownloader(HubEndpoint.resolve(null, System.getenv()), System.getenv("HF_TOKEN"), System.out::println)
        .download(id, "main", out);
    return out;
  }

  /** Installs {@code model} (a folder or {@code random:SHAPE}) under {@code modelsRoot}; returns its name. */
  static String prepareModel(String model, Path modelsRoot) throws IOException {
    Files.createDirectories(modelsRoot);
    if (model.startsWith("random:")) {
      ModelShape shape = ModelShape.parse(model.substring("random:".length()));
      String name = "random-" + shape.id();
      if (!Files.isRegularFile(modelsRoot.resolve(name).resolve("model.safetensors"))) {
        RandomCheckpointWriter.write(new RandomCheckpointWriter.Options(shape, 1, DType.F32, false),
            modelsRoot.resolve(name));
      }
      return name;
    }
    Path source = Path.of(model).toAbsolutePath();
    String name = source.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    FileTrees.delete(modelsRoot.resolve(name));
    LocalCluster.copyModel(source, modelsRoot.resolve(name));
    return name;
  }

  private static void createIndex(Http http, String model) throws IOException {
    ObjectNode processor = IndexSetup.processor(model).put("doc_vector_field", "body_vector");
    processor.putObject("chunking").put("max_tokens", 512);
    IndexSetup.putPipeline(http, "modernbert-demo", processor);
    ObjectNode index = IndexSetup.indexBody(http, model, "modernbert-demo", 1, 0);
    ((ObjectNode) index.get("mappings").get("properties")).putObject("title").put("type", "keyword");
    IndexSetup.createIndex(http, INDEX, index);
  }

  private static void index(Http http, JsquadCorpus corpus, int docs) throws IOException {
    long t0 = System.nanoTime();
    StringBuilder bulk = new StringBuilder();
    int sent = 0;
    for (int i = 0; i < docs; i++) {
      JsquadCorpus.Paragraph para = corpus.paragraphs().get(i);
      append(bulk, "p" + i, para.title(), para.text());
      if ((i + 1) % 100 == 0 || i == docs - 1) {
        sent += send(http, bulk);
        System.out.printf("\rindexed %d / %d paragraphs (%.0f s)", sent, docs, (System.nanoTime() - t0) / 1e9);
      }
    }
    for (int l = 0; l < 3; l++) {
      StringBuilder text = new StringBuilder();
      for (int i = l * 60; i < l * 60 + 60 && i < corpus.paragraphs().size(); i++) {
        text.append(corpus.paragraphs().get(i).text()).append("\n\n");
      }
      append(bulk, "long" + l, "長文 " + (l + 1), text.toString());
    }
    send(http, bulk);
    System.out.printf("%nindexed 3 long documents (%.0f s in all)%n", (System.nanoTime() - t0) / 1e9);
    http.post("/" + INDEX + "/_refresh", "{}");
  }

  private static void append(StringBuilder bulk, String id, String title, String body) {
    ObjectNode doc = JsonFiles.mapper().createObjectNode().put("title", title).put("body", body);
    bulk.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n").append(doc).append('\n');
  }

  private static int send(Http http, StringBuilder bulk) throws IOException {
    Http.Response r = http.bulk("/" + INDEX + "/_bulk", bulk.toString());
    bulk.setLength(0);
    r.ok("bulk index");
    int ok = 0;
    for (JsonNode item : r.body().path("items")) {
      if (item.path("index").path("status").asInt() < 300) {
        ok++;
      } else {
        System.out.println("\n  failed " + item.path("index").path("_id").asText() + ": "
            + item.path("index").path("error").path("reason").asText());
      }
    }
    return ok;
  }

  /** Each question is one {@code modernbert_knn} query: the node embeds it and returns documents with passages. */
  private static void ask(Http http, JsquadCorpus corpus, boolean random, int indexed)
      throws IOException {
    if (random) {
      System.out.println("\n(random weights: the rankings below are meaningless — a smoke run of the whole path)");
    }
    List<JsquadCorpus.Question> asked = corpus.questions().stream().filter(q -> q.paragraph() < indexed).toList();
    for (int k = 0; k < 5; k++) {
      JsquadCorpus.Question question = asked.get(k * asked.size() / 5);
      ObjectNode search = JsonFiles.mapper().createObjectNode().put("size", 3);
      search.putArray("_source").add("title");
      ObjectNode knn = search.putObject("query").putObject("modernbert_knn");
      knn.put("field", "body_chunks.embedding").put("query_text", question.text()).put("k", 10);
      knn.putObject("inner_hits").put("size", 1);
      JsonNode hits = http.post("/" + INDEX + "/_search", search.toString()).ok("search").body().path("hits")
          .path("hits");
      System.out.printf("%nQ: %s   (answer: %s, in 「%s」)%n", question.text(), question.answer(),
          corpus.paragraphs().get(question.paragraph()).title());
      int rank = 1;
      for (JsonNode h : hits) {
        JsonNode passage = h.path("inner_hits").path("body_chunks").path("hits").path("hits").get(0).path("_source");
        String text = passage.path("text").asText().replace('\n', ' ');
        System.out.printf("  %d. %-16s %.3f  [%d–%d] %s%n", rank++, h.path("_source").path("title").asText(),
            h.path("_score").asDouble(), passage.path("start").asInt(), passage.path("end").asInt(),
            text.length() > 70 ? text.substring(0, 70) + "…" : text);
      }
    }
  }
}
