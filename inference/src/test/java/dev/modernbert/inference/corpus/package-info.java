/**
 * The bundled JSQuAD validation set (CC BY-SA 4.0), read as paragraphs and questions.
 */
package dev.modernbert.inference.corpus;
