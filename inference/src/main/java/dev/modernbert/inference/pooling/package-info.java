/**
 * Pooling token states into a text vector (mean over real tokens, or CLS) and L2 normalization.
 */
package dev.modernbert.inference.pooling;
