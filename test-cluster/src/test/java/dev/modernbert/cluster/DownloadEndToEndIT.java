package dev.modernbert.cluster;

/** Model downloads and dynamic settings on a real OpenSearch node. */
class DownloadEndToEndIT extends DownloadCheck {
  @Override
  SearchEngine engine() {
    return SearchEngine.OPENSEARCH;
  }

  @Override
  int port() {
    return 9440;
  }
}
