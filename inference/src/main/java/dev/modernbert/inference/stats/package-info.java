/**
 * Counters and latency percentiles of a node's embedding work.
 */
package dev.modernbert.inference.stats;
