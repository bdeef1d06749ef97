/**
 * Benchmarks of the engine (attention modes, batch budgets) and the chunker, and {@code BENCHMARKS.md}, which the
 * benchmark commands write.
 */
package dev.modernbert.inference.bench;
