/**
 * What the query needs from the node: the model of a field (from the pipelines) and query vectors.
 */
package dev.modernbert.plugin.search;
