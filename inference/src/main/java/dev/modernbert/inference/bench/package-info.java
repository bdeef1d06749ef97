/**
 * Benchmarks of the engine and the chunker, and {@code BENCHMARKS.md}, which the benchmark commands write.
 */
package dev.modernbert.inference.bench;
