package dev.modernbert.fusion;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;

/**
 * A vector query and a keyword query fused by reciprocal rank: rewriting runs each on the searcher for its depth
 * and becomes the {@link FusedDocsQuery} of the union, so the fusion sees the whole shard, not one segment.
 */
public final class ReciprocalRankFusionQuery extends Query {
  private final Query vector;
  private final Query keyword;
  private final RankFusion fusion;

  /** The fusion of the rankings of {@code vector} and {@code keyword} (each to its depth in {@code fusion}). */
  public ReciprocalRankFusionQuery(Query vector, Query keyword, RankFusion fusion) {
    this.vector = vector;
    this.keyword = keyword;
    this.fusion = fusion;
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    TopDocs v = searcher.search(vector, fusion.vectorDepth());
    // only the best documents count, not how many match: scoring may skip blocks that cannot reach them (WAND)
    int depth = fusion.keywordDepth();
    TopDocs k = searcher.search(keyword, new TopScoreDocCollectorManager(depth, depth));
    return new FusedDocsQuery(searcher.getIndexReader().getContext().id(), fusion.fuse(v, k), toString());
  }

  @Override
  public void visit(QueryVisitor visitor) {
    QueryVisitor sub = visitor.getSubVisitor(org.apache.lucene.search.BooleanClause.Occur.SHOULD, this);
    vector.visit(sub);
    keyword.visit(sub);
  }

  @Override
  public String toString(String field) {
    return "RRF(" + vector.toString(field) + " | " + keyword.toString(field) + ", " + fusion + ")";
  }

  @Override
  public boolean equals(Object o) {
    return sameClassAs(o) && vector.equals(((ReciprocalRankFusionQuery) o).vector)
        && keyword.equals(((ReciprocalRankFusionQuery) o).keyword) && fusion.equals(((ReciprocalRankFusionQuery) o).fusion);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), vector, keyword, fusion);
  }
}
