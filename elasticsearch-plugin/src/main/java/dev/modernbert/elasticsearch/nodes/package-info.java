/** The per-node reports (models and stats), gathered from every node of the cluster by a nodes action. */
package dev.modernbert.elasticsearch.nodes;
