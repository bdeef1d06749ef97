package dev.modernbert.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fusion on a real Lucene index of several segments: equal weights give exactly Lucene's own
 * {@code TopDocs.rrf}, weights scale each side's terms, and the fused documents run as a query with their scores.
 */
class ReciprocalRankFusionQueryTest {
  private static final int DOCS = 300;
  private static final String[] WORDS = {"瑠璃", "川", "山", "海", "空"};
  private static ByteBuffersDirectory dir;
  private static DirectoryReader reader;
  private static IndexSearcher searcher;
  private static final float[] QUERY = {0.3f, -0.2f, 0.9f, 0.1f};
  private static final Query BY_VECTOR = new KnnFloatVectorQuery("v", QUERY, 40);
  private static final Query BY_TEXT = new TermQuery(new Term("t", "川"));

  @BeforeAll
  static void index() throws IOException {
    dir = new ByteBuffersDirectory();
    SplittableRandom r = new SplittableRandom(3);
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig().setMaxBufferedDocs(37)
        .setMergePolicy(NoMergePolicy.INSTANCE))) {
      for (int i = 0; i < DOCS; i++) {
        Document d = new Document();
        d.add(new StringField("id", "d" + i, Field.Store.YES));
        d.add(new KnnFloatVectorField("v", new float[] {(float) r.nextGaussian(), (float) r.nextGaussian(),
            (float) r.nextGaussian(), (float) r.nextGaussian()}, VectorSimilarityFunction.COSINE));
        StringBuilder text = new StringBuilder();
        for (int n = 1 + r.nextInt(6); n > 0; n--) {
          text.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
        }
        d.add(new TextField("t", text.toString(), Field.Store.NO));
        w.addDocument(d);
      }
    }
    reader = DirectoryReader.open(dir);
    searcher = new IndexSearcher(reader);
    assertTrue(reader.leaves().size() > 3, "several segments: " + reader.leaves().size());
  }

  @AfterAll
  static void close() throws IOException {
    reader.close();
    dir.close();
  }

  private static TopDocs fusedSearch(RankFusion fusion) throws IOException {
    return searcher.search(new ReciprocalRankFusionQuery(BY_VECTOR, BY_TEXT, fusion), DOCS);
  }

  @Test
  void equalWeightsGiveLucenesOwnReciprocalRankFusion() throws IOException {
    RankFusion fusion = new RankFusion(40, 60, 60, 1f, 1f);
    TopDocs expected = TopDocs.rrf(DOCS, 60, new TopDocs[] {searcher.search(BY_VECTOR, 40), searcher.search(BY_TEXT, 60)});
    TopDocs actual = fusedSearch(fusion);
    assertTrue(actual.scoreDocs.length > 60, "both sides contribute: " + actual.scoreDocs.length);
    assertEquals(expected.scoreDocs.length, actual.scoreDocs.length);
    for (int i = 0; i < expected.scoreDocs.length; i++) {
      ScoreDoc e = expected.scoreDocs[i];
      ScoreDoc a = actual.scoreDocs[i];
      assertEquals(e.score, a.score, 1e-6f, "rank " + i);
      if (i == 0 || expected.scoreDocs[i - 1].score != e.score) {
        assertEquals(e.doc, a.doc, "rank " + i + " (first of its score)");
      }
    }
  }

  @Test
  void weightsScaleEachSidesTerm() throws IOException {
    TopDocs vector = searcher.search(BY_VECTOR, 40);
    TopDocs text = searcher.search(BY_TEXT, 10);
    RankFusion.Fused[] fused = new RankFusion(40, 10, 5, 2f, 0.5f).fuse(vector, text);
    for (RankFusion.Fused f : fused) {
      double expected = (f.vectorRank() > 0 ? 2.0 / (5 + f.vectorRank()) : 0)
          + (f.keywordRank() > 0 ? 0.5 / (5 + f.keywordRank()) : 0);
      assertEquals(expected, f.score(), 1e-6);
      assertTrue(f.vectorRank() == 0 || vector.scoreDocs[f.vectorRank() - 1].doc == f.doc());
      assertTrue(f.keywordRank() == 0 || text.scoreDocs[f.keywordRank() - 1].doc == f.doc());
    }
    assertEquals(fused.length, Arrays.stream(fused).mapToInt(RankFusion.Fused::doc).distinct().count());
    RankFusion.Fused[] keywordOnly = new RankFusion(40, 10, 60, 0f, 1f).fuse(vector, text);
    assertEquals(10, keywordOnly.length, "a side of weight 0 adds no documents");
    for (int i = 0; i < 10; i++) {
      assertEquals(text.scoreDocs[i].doc, keywordOnly[i].doc(), "with the vector's weight 0 the text ranks alone");
    }
  }

  @Test
  void theFusedDocumentsRunAsAQueryWithTheirScoresAndExplanations() throws IOException {
    RankFusion fusion = new RankFusion(40, 60, 60, 1f, 1f);
    RankFusion.Fused[] fused = fusion.fuse(searcher.search(BY_VECTOR, 40), searcher.search(BY_TEXT, 60));
    TopDocs hits = fusedSearch(fusion);
    for (int i = 0; i < fused.length; i++) {
      assertEquals(fused[i].doc(), hits.scoreDocs[i].doc);
      assertEquals(fused[i].score(), hits.scoreDocs[i].score, 0f);
    }
    Query rewritten = searcher.rewrite(new ReciprocalRankFusionQuery(BY_VECTOR, BY_TEXT, fusion));
    Explanation top = searcher.explain(rewritten, fused[0].doc());
    assertTrue(top.isMatch());
    assertEquals(fused[0].score(), top.getValue().floatValue(), 0f);
    assertTrue(top.getDescription().contains("vector rank"), top.getDescription());
    int outside = java.util.stream.IntStream.range(0, DOCS)
        .filter(d -> Arrays.stream(fused).noneMatch(f -> f.doc() == d)).findFirst().orElseThrow();
    assertTrue(!searcher.explain(rewritten, outside).isMatch());
    assertEquals(fused.length, searcher.count(rewritten));
  }

  /**
   * Every segment's iterator lands at or after the target it is advanced to, NO_MORE_DOCS included, which a
   * conjunction relies on: advanced to NO_MORE_DOCS in a later segment, an overflowing target once sent it back
   * to its first document and a nested query's inner hits spun forever.
   */
  @Test
  void eachSegmentsIteratorAdvancesToTheFirstFusedDocumentAtOrAfterItsTarget() throws IOException {
    RankFusion fusion = new RankFusion(40, 60, 60, 1f, 1f);
    int[] fusedDocs = Arrays.stream(fusion.fuse(searcher.search(BY_VECTOR, 40), searcher.search(BY_TEXT, 60)))
        .mapToInt(RankFusion.Fused::doc).sorted().toArray();
    Query rewritten = searcher.rewrite(new ReciprocalRankFusionQuery(BY_VECTOR, BY_TEXT, fusion));
    Weight weight = searcher.createWeight(rewritten, ScoreMode.COMPLETE, 1f);
    for (LeafReaderContext leaf : reader.leaves()) {
      if (weight.scorer(leaf) == null) {
        continue;
      }
      int maxDoc = leaf.reader().maxDoc();
      for (int target : new int[] {0, maxDoc / 2, maxDoc - 1, maxDoc, DocIdSetIterator.NO_MORE_DOCS}) {
        DocIdSetIterator docs = weight.scorer(leaf).iterator();
        int expected = Arrays.stream(fusedDocs).map(d -> d - leaf.docBase)
            .filter(d -> d >= target && d < maxDoc).findFirst().orElse(DocIdSetIterator.NO_MORE_DOCS);
        assertEquals(expected, docs.advance(target), "segment at " + leaf.docBase + ", target " + target);
      }
    }
    BooleanQuery both = new BooleanQuery.Builder().add(rewritten, BooleanClause.Occur.FILTER)
        .add(BY_TEXT, BooleanClause.Occur.FILTER).build();
    Set<Integer> withText = Arrays.stream(searcher.search(BY_TEXT, DOCS).scoreDocs).map(h -> h.doc)
        .collect(Collectors.toSet());
    assertEquals(Arrays.stream(fusedDocs).filter(withText::contains).count(), searcher.count(both));
  }

  @Test
  void badSettingsAreRefusedByName() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RankFusion(0, 1, 60, 1, 1)).getMessage()
        .contains("[knn_depth]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RankFusion(1, 10_001, 60, 1, 1)).getMessage()
        .contains("[bm25_depth]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RankFusion(1, 1, 0, 1, 1)).getMessage()
        .contains("[rank_constant]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RankFusion(1, 1, 60, Float.NaN, 1))
        .getMessage().contains("[knn_weight]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RankFusion(1, 1, 60, 0, 0)).getMessage()
        .contains("both 0"));
  }

  @Test
  void aQueryBodysParametersGiveTheFusionAndBack() {
    RankFusion fusion = new RankFusion(30, 200, 5, 0.5f, 2f);
    assertEquals(fusion, RankFusion.of(fusion.parameters()));
    assertEquals(RankFusion.PARAMETERS, List.copyOf(fusion.parameters().keySet()));
    assertEquals(RankFusion.DEFAULTS, RankFusion.of(Map.of()));
    assertEquals(new RankFusion(100, 100, 60, 1f, 3f), RankFusion.of(Map.of("bm25_weight", 3)));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RankFusion.of(Map.of("k", 3))).getMessage()
        .contains("[k] is not a rank fusion parameter"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RankFusion.of(Map.of("knn_depth", 10.5)))
        .getMessage().contains("[knn_depth] must be a whole number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RankFusion.of(Map.of("bm25_depth", 1e12)))
        .getMessage().contains("[bm25_depth] must be in"));
  }
}
