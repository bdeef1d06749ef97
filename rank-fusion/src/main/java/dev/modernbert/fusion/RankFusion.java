package dev.modernbert.fusion;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * Weighted reciprocal rank fusion of a vector ranking and a keyword ranking: a document's score is
 * {@code vectorWeight / (rankConstant + vectorRank) + keywordWeight / (rankConstant + keywordRank)}, ranks from 1,
 * a term for each ranking that holds it (Cormack et al., 2009; Lucene's {@code TopDocs.rrf} with weights).
 *
 * @param vectorDepth how many of the vector search's best documents take part
 * @param keywordDepth how many of the keyword (BM25) search's best documents take part
 * @param rankConstant dampens the weight of the first ranks (60 in the paper)
 */
public record RankFusion(int vectorDepth, int keywordDepth, int rankConstant, float vectorWeight, float keywordWeight) {
  /** The deepest either side may search, as k-NN's own limit. */
  public static final int MAX_DEPTH = 10_000;
  public static final RankFusion DEFAULTS = new RankFusion(100, 100, 60, 1f, 1f);
  /** The fusion's parameters as a query body names them. */
  public static final List<String> PARAMETERS =
      List.of("knn_depth", "bm25_depth", "rank_constant", "knn_weight", "bm25_weight");

  public RankFusion {
    requireDepth("knn_depth", vectorDepth);
    requireDepth("bm25_depth", keywordDepth);
    if (rankConstant < 1) {
      throw new IllegalArgumentException("[rank_constant] must be at least 1, got " + rankConstant);
    }
    requireWeight("knn_weight", vectorWeight);
    requireWeight("bm25_weight", keywordWeight);
    if (vectorWeight == 0 && keywordWeight == 0) {
      throw new IllegalArgumentException("[knn_weight] and [bm25_weight] are both 0: nothing would rank");
    }
  }

  private static void requireDepth(String name, int depth) {
    if (depth < 1 || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("[" + name + "] must be in [1, " + MAX_DEPTH + "], got " + depth);
    }
  }

  private static void requireWeight(String name, float weight) {
    if (!(weight >= 0) || Float.isInfinite(weight)) {
      throw new IllegalArgumentException("[" + name + "] must be a finite number >= 0, got " + weight);
    }
  }

  /**
   * The fusion a query body gives: {@code parameters} by their names in {@link #PARAMETERS}, the
   * {@link #DEFAULTS} for those it leaves out.
   *
   * @throws IllegalArgumentException naming the parameter that is unknown, not a whole number where one is needed,
   *     or out of range
   */
  public static RankFusion of(Map<String, ? extends Number> parameters) {
    Map<String, Number> all = new HashMap<>(DEFAULTS.parameters());
    parameters.forEach((name, value) -> {
      if (!PARAMETERS.contains(name)) {
        throw new IllegalArgumentException("[" + name + "] is not a rank fusion parameter; they are " + PARAMETERS);
      }
      all.put(name, value);
    });
    return new RankFusion(wholeNumber(all, "knn_depth"), wholeNumber(all, "bm25_depth"),
        wholeNumber(all, "rank_constant"), all.get("knn_weight").floatValue(), all.get("bm25_weight").floatValue());
  }

  private static int wholeNumber(Map<String, Number> parameters, String name) {
    double value = parameters.get(name).doubleValue();
    if (value != Math.rint(value)) {
      throw new IllegalArgumentException("[" + name + "] must be a whole number, got " + parameters.get(name));
    }
    return (int) value; // saturates: a number too large for an int is refused as out of range
  }

  /** This fusion's parameters by their names, in the order of {@link #PARAMETERS}, as a query body writes them. */
  public Map<String, Number> parameters() {
    Map<String, Number> p = new LinkedHashMap<>();
    p.put("knn_depth", vectorDepth);
    p.put("bm25_depth", keywordDepth);
    p.put("rank_constant", rankConstant);
    p.put("knn_weight", vectorWeight);
    p.put("bm25_weight", keywordWeight);
    return p;
  }

  /** One fused document: its score and its 1-based rank on each side (0 where that side did not find it). */
  public record Fused(int doc, float score, int vectorRank, int keywordRank) {}

  /**
   * Every document of either ranking, best first (ties by document id), with its fused score. A side of weight 0
   * is off: it adds no documents.
   */
  public Fused[] fuse(TopDocs vector, TopDocs keyword) {
    Map<Integer, int[]> ranks = new HashMap<>();
    ScoreDoc[] v = vector.scoreDocs;
    for (int r = 0; vectorWeight > 0 && r < Math.min(v.length, vectorDepth); r++) {
      ranks.computeIfAbsent(v[r].doc, d -> new int[2])[0] = r + 1;
    }
    ScoreDoc[] t = keyword.scoreDocs;
    for (int r = 0; keywordWeight > 0 && r < Math.min(t.length, keywordDepth); r++) {
      ranks.computeIfAbsent(t[r].doc, d -> new int[2])[1] = r + 1;
    }
    Fused[] out = ranks.entrySet().stream()
        .map(e -> new Fused(e.getKey(), score(e.getValue()[0], e.getValue()[1]), e.getValue()[0], e.getValue()[1]))
        .toArray(Fused[]::new);
    Arrays.sort(out, (a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score())
        : Integer.compare(a.doc(), b.doc()));
    return out;
  }

  private float score(int vectorRank, int keywordRank) {
    double s = 0;
    if (vectorRank > 0) {
      s += vectorWeight / (double) (rankConstant + vectorRank);
    }
    if (keywordRank > 0) {
      s += keywordWeight / (double) (rankConstant + keywordRank);
    }
    return (float) s;
  }
}
