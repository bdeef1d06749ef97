/**
 * The plugin's node-local transport actions, which REST handlers call: {@code _embed} and {@code _mapping}, each
 * a cancellable task that runs off the network threads, and how inference failures reach clients.
 */
package dev.modernbert.plugin.action;
