package dev.modernbert.inference.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options, {@code --flag} switches and positional arguments of one command. */
final class Args {
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> flags = new HashSet<>();
  private final List<String> positional = new ArrayList<>();

  /**
   * Parses {@code argv}; {@code switches} names the options that take no value, {@code valued} those that
   * take one. Anything else starting with {@code --} is refused.
   */
  static Args parse(List<String> argv, Set<String> switches, Set<String> valued) {
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

  String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new UsageException("--" + name + " is required");
    }
    return v;
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int intValue(String name, int fallback) {
    return intValue(name, fallback, Integer.MIN_VALUE);
  }

  /** Like {@link #intValue(String, int)}, refusing a value below {@code min}. */
  int intValue(String name, int fallback, int min) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be an integer, got \"" + v + "\"");
    }
    if (value < min) {
      throw new UsageException("--" + name + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  long longValue(String name, long fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be an integer, got \"" + v + "\"");
    }
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  List<String> positional() {
    return positional;
  }
}
