/**
 * The OpenSearch plugin: its settings, thread pool, model registry and the wiring of processor, query and REST.
 */
package dev.modernbert.plugin;
