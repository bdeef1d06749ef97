/**
 * The REST endpoints under {@code /_plugins/_modernbert}.
 */
package dev.modernbert.plugin.rest;
