package dev.modernbert.tools.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.chunking.Chunk;
import dev.modernbert.inference.chunking.ChunkingOptions;
import dev.modernbert.inference.chunking.DocumentChunker;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.random.ModelShape;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Chunking throughput on Japanese text (JSQuAD paragraphs repeated to 1 MB and 10 MB of UTF-8): MB/s, the
 * ratio of per-MB times (1.0 = linear), and chunking time as a share of embedding time for the same sample.
 */
public final class ChunkBenchmark {
  private static final String PREFIX = "検索文書: ";

  private ChunkBenchmark() {}

  /** Runs the benchmark with the given shape for the embedding comparison; returns the JSON report. */
  public static ObjectNode run(ModelShape shape, int sampleBytes, int runs, Path workDir, PrintStream out)
      throws Exception {
    Path model = BenchCheckpoint.of(shape, workDir, out);
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    ObjectNode r = JsonFiles.mapper().createObjectNode();
    r.put("benchmark", "chunk");
    r.put("machine", Machine.describe());
    try (LoadedModel m = LoadedModel.load(model, EngineSettings.defaults().withCacheDir(workDir.resolve("cache")))) {
      DocumentChunker chunker = new DocumentChunker(m.tokenizer(), ChunkingOptions.of(8192), PREFIX);
      throughput(chunker, corpus, runs, out, r);
      String sample = japaneseText(corpus, sampleBytes);
      long t0 = System.nanoTime();
      List<Chunk> chunks = chunker.chunk(sample);
      double chunkSeconds = (System.nanoTime() - t0) / 1e9;
      List<String> texts = new ArrayList<>();
      chunks.forEach(c -> texts.add(c.text(sample)));
      long t1 = System.nanoTime();
      m.embedder(8192).embed(texts, PREFIX, true);
      double embedSeconds = (System.nanoTime() - t1) / 1e9;
      out.printf("sample of %,d bytes: chunking %.3f s, embedding (%s, %s) %.1f s: chunking is %.2f%% of embedding%n",
          sampleBytes, chunkSeconds, shape.id(), m.encoder().device(), embedSeconds, 100 * chunkSeconds / embedSeconds);
      r.put("shape", shape.id());
      r.put("sample_bytes", sampleBytes);
      r.put("sample_chunk_seconds", chunkSeconds);
      r.put("sample_embed_seconds", embedSeconds);
      r.put("chunking_share_of_embedding", chunkSeconds / embedSeconds);
    }
    return r;
  }

  /** Chunking MB/s on 1 MB and 10 MB of Japanese (median of {@code runs}), and how far from linear it scales. */
  private static void throughput(DocumentChunker chunker, JsquadCorpus corpus, int runs, PrintStream out,
      ObjectNode r) {
    double[] perMb = new double[2];
    int[] sizes = {1, 10};
    for (int i = 0; i < sizes.length; i++) {
      String text = japaneseText(corpus, sizes[i] << 20);
      double[] seconds = new double[runs];
      int chunks = 0;
      for (int k = 0; k < runs; k++) {
        long t0 = System.nanoTime();
        chunks = chunker.chunk(text).size();
        seconds[k] = (System.nanoTime() - t0) / 1e9;
      }
      double median = Stats.median(seconds);
      perMb[i] = median / sizes[i];
      out.printf("chunk %2d MB (%,d chars): %.2f s median of %d, %.2f MB/s, %d windows%n", sizes[i], text.length(),
          median, runs, sizes[i] / median, chunks);
      r.put("mb_per_second_" + sizes[i] + "mb", sizes[i] / median);
      r.put("windows_" + sizes[i] + "mb", chunks);
    }
    r.put("per_mb_time_ratio_10mb_over_1mb", perMb[1] / perMb[0]);
    out.printf("per-MB time, 10 MB / 1 MB: %.2f (1.0 = linear)%n", perMb[1] / perMb[0]);
  }

  /** JSQuAD paragraphs, separated by blank lines, repeated until the UTF-8 size reaches {@code bytes}. */
  static String japaneseText(JsquadCorpus corpus, int bytes) {
    StringBuilder b = new StringBuilder();
    int size = 0;
    for (int i = 0; size < bytes; i++) {
      JsquadCorpus.Paragraph p = corpus.paragraphs().get(i % corpus.paragraphs().size());
      String piece = p.title() + "\n" + p.text() + "\n\n";
      b.append(piece);
      size += piece.getBytes(StandardCharsets.UTF_8).length;
    }
    return b.toString();
  }
}
