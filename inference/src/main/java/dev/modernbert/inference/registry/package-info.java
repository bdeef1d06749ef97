/**
 * A node's models (lazily loaded, once), its token-budget admission queue, and the services that hold them.
 */
package dev.modernbert.inference.registry;
