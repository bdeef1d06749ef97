/**
 * Real local OpenSearch nodes with k-NN and this plugin: {@code cluster}, the demo, and the node benchmarks.
 */
package dev.modernbert.cluster;
