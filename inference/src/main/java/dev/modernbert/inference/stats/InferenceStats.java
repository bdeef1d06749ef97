package dev.modernbert.inference.stats;

import java.util.concurrent.atomic.LongAdder;

/** Counters and latencies of one node's embedding work, reported by the stats endpoint. */
public final class InferenceStats {
  private static final int SAMPLES = 2048;

  /** Ingest documents embedded (a document whose field is an array of strings counts once). */
  public final LongAdder documents = new LongAdder();
  public final LongAdder chunks = new LongAdder();
  public final LongAdder tokens = new LongAdder();
  /** Ingest documents failed, whatever the reason (bad field, chunk limit, index mapping, full queue, model). */
  public final LongAdder failures = new LongAdder();
  public final LongAdder queries = new LongAdder();
  public final LongAdder cacheHits = new LongAdder();
  public final LongAdder cacheMisses = new LongAdder();
  public final LatencyRecorder tokenize = new LatencyRecorder(SAMPLES);
  public final LatencyRecorder infer = new LatencyRecorder(SAMPLES);
  public final LatencyRecorder total = new LatencyRecorder(SAMPLES);
}
