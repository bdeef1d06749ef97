package dev.modernbert.inference.chunking;

/**
 * How documents are cut.
 *
 * @param maxTokens the most tokens a window may take, counting {@code <s>}, {@code </s>} and the prefix
 * @param overlapTokens tokens at the end of one window repeated at the start of the next
 * @param boundary where windows prefer to end
 * @param lateChunkTokens with late chunking, the approximate tokens per span pooled inside each window; 0 = off
 * @param maxChunks the most chunks (windows, or spans with late chunking) one text may produce
 */
public record ChunkingOptions(int maxTokens, int overlapTokens, Boundary boundary, int lateChunkTokens, int maxChunks) {
  public static final int DEFAULT_MAX_CHUNKS = 1000;

  /** Validates every value; a failure names the offending field. */
  public ChunkingOptions {
    if (maxTokens < 4) {
      throw new IllegalArgumentException("max_tokens must be at least 4, got " + maxTokens);
    }
    if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
      throw new IllegalArgumentException("overlap_tokens must be between 0 and max_tokens / 2 (" + maxTokens / 2
          + "), got " + overlapTokens);
    }
    if (lateChunkTokens < 0 || lateChunkTokens > maxTokens) {
      throw new IllegalArgumentException("late_chunk_tokens must be between 1 and max_tokens, got " + lateChunkTokens);
    }
    if (maxChunks < 1) {
      throw new IllegalArgumentException("max_chunks must be positive, got " + maxChunks);
    }
    if (boundary == null) {
      throw new IllegalArgumentException("boundary is required");
    }
  }

  /** Sentence windows of up to {@code maxTokens}, no overlap, no late chunking. */
  public static ChunkingOptions of(int maxTokens) {
    return new ChunkingOptions(maxTokens, 0, Boundary.SENTENCE, 0, DEFAULT_MAX_CHUNKS);
  }

  /** These options with {@code maxTokens} capped by the model's limit. */
  public ChunkingOptions cappedAt(int modelMaxTokens) {
    int max = Math.min(maxTokens, modelMaxTokens);
    return new ChunkingOptions(max, Math.min(overlapTokens, max / 2), boundary, Math.min(lateChunkTokens, max),
        maxChunks);
  }
}
