/**
 * Commands that run real local OpenSearch nodes through the {@code test-cluster} harness: {@code cluster}
 * start/stop/status, the {@code demo}, the node benchmarks ({@code bench query}, {@code bench ingest}) and
 * {@code bench vs-neural}, which installs ml-commons + neural-search beside this plugin to compare with them.
 */
package dev.modernbert.tools.nodes;
