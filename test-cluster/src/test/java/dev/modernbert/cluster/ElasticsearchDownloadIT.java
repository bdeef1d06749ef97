package dev.modernbert.cluster;

/** Model downloads and dynamic settings on a real Elasticsearch node (the policy's {@code outbound_network}). */
class ElasticsearchDownloadIT extends DownloadCheck {
  @Override
  SearchEngine engine() {
    return SearchEngine.ELASTICSEARCH;
  }

  @Override
  int port() {
    return 9463;
  }
}
