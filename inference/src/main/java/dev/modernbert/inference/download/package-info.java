/**
 * Fetching model folders from the Hugging Face hub: verified, atomic and resumable.
 */
package dev.modernbert.inference.download;
