/**
 * Random-weight checkpoints with the real ModernBERT-Ja architectures and tokenizer, for tests and benchmarks.
 */
package dev.modernbert.inference.random;
