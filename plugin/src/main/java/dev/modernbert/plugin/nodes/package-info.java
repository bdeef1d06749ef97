/**
 * Transport actions that run on every node: the models and stats report, and model downloads.
 */
package dev.modernbert.plugin.nodes;
