/**
 * Tools around the engine, none of which ships in a node: the {@code ./modernbert} command line ({@code cli}),
 * the engine benchmarks ({@code bench}) and the commands that run real local nodes — cluster, demo, node
 * benchmarks and the comparison with ml-commons + neural-search ({@code nodes}).
 */
package dev.modernbert.tools;
