/**
 * Real local OpenSearch nodes for tests and tools: the stock distribution with k-NN and this plugin installed,
 * run as an unprivileged user ({@link dev.modernbert.cluster.LocalCluster}), a small HTTP client, index
 * set-up and reading vectors from responses.
 */
package dev.modernbert.cluster;
