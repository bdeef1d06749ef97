/**
 * The model's tokenizer (DJL HuggingFace tokenizers), including tokenizer.json built from tokenizer.model.
 */
package dev.modernbert.inference.tokenizer;
