/**
 * The Elasticsearch edition's REST endpoints, at the OpenSearch edition's paths under {@code /_plugins/_modernbert}:
 * {@code _embed}, the models and stats of this node, and the recommended index mapping of a model.
 */
package dev.modernbert.elasticsearch.rest;
