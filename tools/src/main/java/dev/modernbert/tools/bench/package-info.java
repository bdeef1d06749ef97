/**
 * Benchmarks of the engine (attention modes, batch budgets, token packing, ONNX Runtime's CPU arena) and the
 * chunker, and {@code BENCHMARKS.md}, which the benchmark commands write.
 */
package dev.modernbert.tools.bench;
