package dev.modernbert.fusion;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

/**
 * The documents of a rank fusion with their fused scores, as a query over the index reader they were found in
 * (top-level document ids). A query of one reader only: a searcher over another reader is refused.
 */
final class FusedDocsQuery extends Query {
  private final Object readerId;
  private final RankFusion.Fused[] byDoc;
  private final String description;

  FusedDocsQuery(Object readerId, RankFusion.Fused[] fused, String description) {
    this.readerId = readerId;
    this.byDoc = fused.clone();
    Arrays.sort(byDoc, Comparator.comparingInt(RankFusion.Fused::doc));
    this.description = description;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    if (searcher.getIndexReader().getContext().id() != readerId) {
      throw new IllegalStateException("a fused ranking runs only on the reader it was computed on");
    }
    return new Weight(this) {
      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext leaf) {
        int from = firstAtOrAfter(leaf.docBase);
        int to = firstAtOrAfter(leaf.docBase + leaf.reader().maxDoc());
        if (from == to) {
          return null;
        }
        Scorer scorer = new FusedScorer(leaf.docBase, from, to, boost);
        return new DefaultScorerSupplier(scorer);
      }

      @Override
      public Explanation explain(LeafReaderContext leaf, int doc) {
        int i = Arrays.binarySearch(byDoc, new RankFusion.Fused(leaf.docBase + doc, 0, 0, 0),
            Comparator.comparingInt(RankFusion.Fused::doc));
        if (i < 0) {
          return Explanation.noMatch("not among the fused documents");
        }
        RankFusion.Fused f = byDoc[i];
        return Explanation.match(f.score() * boost, "reciprocal rank fusion of " + description + ": vector rank "
            + (f.vectorRank() == 0 ? "none" : f.vectorRank()) + ", keyword rank "
            + (f.keywordRank() == 0 ? "none" : f.keywordRank()));
      }

      @Override
      public boolean isCacheable(LeafReaderContext leaf) {
        return false;
      }
    };
  }

  /** Index of the first fused document with id {@code >= doc} (a long: a segment's base plus NO_MORE_DOCS). */
  private int firstAtOrAfter(long doc) {
    int lo = 0;
    int hi = byDoc.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (byDoc[mid].doc() < doc) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The fused documents [from, to) of one segment. */
  private final class FusedScorer extends Scorer {
    private final int docBase;
    private final int from;
    private final int to;
    private final float boost;
    private int at = -1;

    FusedScorer(int docBase, int from, int to, float boost) {
      this.docBase = docBase;
      this.from = from;
      this.to = to;
      this.boost = boost;
    }

    @Override
    public int docID() {
      return at < 0 ? -1 : at >= to ? DocIdSetIterator.NO_MORE_DOCS : byDoc[at].doc() - docBase;
    }

    @Override
    public float score() {
      return byDoc[at].score() * boost;
    }

    @Override
    public float getMaxScore(int upTo) {
      float max = 0;
      for (int i = Math.max(at, from); i < to && byDoc[i].doc() - docBase <= upTo; i++) {
        max = Math.max(max, byDoc[i].score() * boost);
      }
      return max;
    }

    @Override
    public DocIdSetIterator iterator() {
      return new DocIdSetIterator() {
        @Override
        public int docID() {
          return FusedScorer.this.docID();
        }

        @Override
        public int nextDoc() {
          at = at < 0 ? from : Math.min(at + 1, to);
          return docID();
        }

        @Override
        public int advance(int target) {
          at = Math.max(at < 0 ? from : at, firstAtOrAfter((long) docBase + target));
          at = Math.min(at, to);
          return docID();
        }

        @Override
        public long cost() {
          return to - from;
        }
      };
    }
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "FusedDocs(" + byDoc.length + " docs of " + description + ")";
  }

  @Override
  public boolean equals(Object o) {
    return sameClassAs(o) && readerId == ((FusedDocsQuery) o).readerId
        && Arrays.equals(byDoc, ((FusedDocsQuery) o).byDoc);
  }

  @Override
  public int hashCode() {
    return 31 * classHash() + Arrays.hashCode(byDoc);
  }
}
