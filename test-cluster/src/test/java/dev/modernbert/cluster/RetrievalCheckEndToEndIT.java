package dev.modernbert.cluster;

/** The retrieval check and what keywords add ({@link HybridRetrievalCheck}) on OpenSearch. */
class RetrievalCheckEndToEndIT extends HybridRetrievalCheck {
  @Override
  SearchEngine engine() {
    return SearchEngine.OPENSEARCH;
  }

  @Override
  int port() {
    return 9430;
  }
}
