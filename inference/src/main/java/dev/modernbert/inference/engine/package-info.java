/**
 * A model folder made ready to run, and the text and document embedders over it.
 */
package dev.modernbert.inference.engine;
