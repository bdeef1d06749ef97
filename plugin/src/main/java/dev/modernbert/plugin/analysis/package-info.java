/** Japanese text analysis the plugin registers with the node (kuromoji), for BM25 over documents and passages. */
package dev.modernbert.plugin.analysis;
