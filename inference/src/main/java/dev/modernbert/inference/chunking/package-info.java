/**
 * Cutting documents into windows of the model's tokens at Japanese sentence ends, with exact {@code String}
 * offsets and nothing dropped, and late chunking (one encoding per window, a vector per span).
 */
package dev.modernbert.inference.chunking;
