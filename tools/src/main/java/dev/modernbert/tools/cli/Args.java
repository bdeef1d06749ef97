package dev.modernbert.tools.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code --name value} options, {@code --flag} switches and positional arguments of one command: the one parser of
 * every {@code ./modernbert} command. A value the command cannot honour is refused with a {@link UsageException}
 * naming the option, never bent into one it can.
 */
public final class Args {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Set<String> flags = new LinkedHashSet<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {}

  /**
   * Parses {@code argv}; {@code switches} names the options that take no value, {@code valued} those that
   * take one. Anything else starting with {@code --} is refused.
   */
  public static Args parse(List<String> argv, Set<String> switches, Set<String> valued) {
    Args a = new Args();
    for (int i = 0; i < argv.size(); i++) {
      String s = argv.get(i);
      if (!s.startsWith("--")) {
        a.positional.add(s);
        continue;
      }
      String name = s.substring(2);
      if (switches.contains(name)) {
        a.flags.add(name);
      } else if (valued.contains(name)) {
        if (i + 1 >= argv.size()) {
          throw new UsageException("--" + name + " needs a value");
        }
        a.values.put(name, argv.get(++i));
      } else {
        throw new UsageException("unknown option --" + name);
      }
    }
    return a;
  }

  /** The value of option {@code name}; refuses its absence. */
  public String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new UsageException("--" + name + " is required");
    }
    return v;
  }

  /** The value of option {@code name}, or {@code fallback}. */
  public String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** The integer value of option {@code name}, or {@code fallback}. */
  public int intValue(String name, int fallback) {
    return intValue(name, fallback, Integer.MIN_VALUE);
  }

  /** Like {@link #intValue(String, int)}, refusing a value below {@code min}. */
  public int intValue(String name, int fallback, int min) {
    String v = values.get(name);
    return v == null ? fallback : atLeast(name, parseInt(name, v), min);
  }

  /** The comma-separated integers of option {@code name}, or {@code fallback}'s; refuses any below {@code min}. */
  public int[] ints(String name, String fallback, int min) {
    String v = get(name, fallback);
    int[] parsed = Arrays.stream(v.split(",", -1)).mapToInt(s -> parseInt(name, s)).toArray();
    for (int value : parsed) {
      atLeast(name, value, min);
    }
    return parsed;
  }

  /** The long value of option {@code name}, or {@code fallback}. */
  public long longValue(String name, long fallback) {
    String v = values.get(name);
    return v == null ? fallback : parseLong(name, v);
  }

  /** Whether switch {@code name} was given. */
  public boolean flag(String name) {
    return flags.contains(name);
  }

  /**
   * The options and switches given, except {@code omitted}, as they would be typed again ({@code " --name value"}
   * each, values first, in the order given): what a saved result says it was made with.
   */
  public String given(String... omitted) {
    Set<String> skip = Set.of(omitted);
    return Stream.concat(
            values.entrySet().stream().filter(e -> !skip.contains(e.getKey()))
                .map(e -> " --" + e.getKey() + " " + e.getValue()),
            flags.stream().filter(f -> !skip.contains(f)).map(f -> " --" + f))
        .collect(Collectors.joining());
  }

  /** The arguments that are not options, in order. */
  public List<String> positional() {
    return positional;
  }

  private static int parseInt(String name, String v) {
    long value = parseLong(name, v);
    if (value != (int) value) {
      throw new UsageException("--" + name + " is out of range, got " + v);
    }
    return (int) value;
  }

  private static long parseLong(String name, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be an integer, got \"" + v + "\"");
    }
  }

  private static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new UsageException("--" + name + " must be at least " + min + ", got " + value);
    }
    return value;
  }
}
