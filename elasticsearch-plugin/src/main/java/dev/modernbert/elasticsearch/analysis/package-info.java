/** Japanese analysis (Lucene kuromoji) for keyword search next to the vectors, on Elasticsearch. */
package dev.modernbert.elasticsearch.analysis;
