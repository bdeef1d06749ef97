/**
 * What the ingest processor needs from the node: the target index's mapping check.
 */
package dev.modernbert.plugin.ingest;
