/** The Elasticsearch edition's node settings, the paths it reads and writes, and its thread pools. */
package dev.modernbert.elasticsearch.settings;
