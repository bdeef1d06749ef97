package dev.modernbert.inference.registry;

import dev.modernbert.inference.stats.InferenceStats;

/** What a node's embedding work needs: its models, its admission queue and its statistics. */
public record InferenceServices(ModelRegistry registry, InferenceQueue queue, InferenceStats stats) {}
