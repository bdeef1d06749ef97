package dev.modernbert.tools.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one option parser of the command line: values parse or fall back; what a command cannot honour is refused. */
class ArgsTest {
  private static Args parse(String... argv) {
    return Args.parse(List.of(argv), Set.of("jsonl"), Set.of("clients", "docs", "chunks", "model", "seed"));
  }

  private static String refusal(Runnable r) {
    return assertThrows(UsageException.class, r::run).getMessage();
  }

  @Test
  void optionsSwitchesAndPositionalArgumentsAreTold() {
    Args a = parse("in.txt", "--model", "m", "--jsonl", "out.txt");
    assertEquals("m", a.required("model"));
    assertTrue(a.flag("jsonl"));
    assertEquals(List.of("in.txt", "out.txt"), a.positional());
    assertEquals("fallback", a.get("docs", "fallback"));
  }

  @Test
  void theGivenOptionsAreToldAsTypedLessTheOmitted() {
    Args a = parse("--docs", "400", "--jsonl", "in.txt", "--model", "m", "--seed", "7");
    assertEquals(" --docs 400 --seed 7 --jsonl", a.given("model"));
    assertEquals("", parse("in.txt").given());
  }

  @Test
  void anIntegerOptionFallsBackOrParses() {
    assertEquals(4, parse("--docs", "2").intValue("clients", 4, 2));
    assertEquals(3, parse("--clients", "3").intValue("clients", 4, 2));
  }

  @Test
  void aValueBelowTheMinimumIsRefusedNamingTheOption() {
    assertEquals("--clients must be at least 2, got 1", refusal(() -> parse("--clients", "1").intValue("clients", 4, 2)));
  }

  @Test
  void anUnknownMissingOrMalformedOptionIsRefused() {
    assertEquals("unknown option --doc", refusal(() -> parse("--doc", "5")));
    assertEquals("--docs needs a value", refusal(() -> parse("--docs")));
    assertEquals("--docs must be an integer, got \"ten\"", refusal(() -> parse("--docs", "ten").intValue("docs", 5)));
    assertEquals("--model is required", refusal(() -> parse().required("model")));
    assertEquals("--docs is out of range, got 3000000000", refusal(() -> parse("--docs", "3000000000").intValue("docs", 5)));
    assertEquals(3_000_000_000L, parse("--seed", "3000000000").longValue("seed", 42));
    assertEquals("--seed must be an integer, got \"1e3\"", refusal(() -> parse("--seed", "1e3").longValue("seed", 42)));
  }

  @Test
  void aListOptionParsesEveryValueAndRefusesABadOne() {
    assertArrayEquals(new int[] {10, 20}, parse().ints("chunks", "10,20", 1));
    assertArrayEquals(new int[] {7}, parse("--chunks", "7").ints("chunks", "10,20", 1));
    assertEquals("--chunks must be an integer, got \"x\"", refusal(() -> parse("--chunks", "10,x").ints("chunks", "1", 1)));
    assertEquals("--chunks must be an integer, got \"\"", refusal(() -> parse("--chunks", "10,").ints("chunks", "1", 1)));
    assertEquals("--chunks must be at least 1, got 0", refusal(() -> parse("--chunks", "10,0").ints("chunks", "1", 1)));
  }
}
