/**
 * The {@code ./modernbert} command line: tokenize, embed, hidden, chunk, random-model, download, bench.
 */
package dev.modernbert.tools.cli;
