package dev.modernbert.inference.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PathRedactionTest {
  @Test
  void absolutePathsKeepOnlyTheirLastTwoNames() {
    assertEquals("ruri/config.json: not valid JSON",
        PathRedaction.redact("/srv/node-0/config/modernbert/models/ruri/config.json: not valid JSON"));
    assertEquals("cannot read ruri/model.safetensors (m/x.onnx)",
        PathRedaction.redact("cannot read /a/b/ruri/model.safetensors (/tmp/m/x.onnx)"));
    assertEquals("no folder in [config/models, data/models]",
        PathRedaction.redact("no folder in [/n/config/models, /n/data/models]"));
  }

  @Test
  void urlsRelativePathsAndPlainTextAreLeftAlone() {
    for (String s : new String[] {"fetch https://huggingface.co/cl-nagoya/ruri-v3-30m/resolve/main/config.json",
        "ruri/1_Pooling/config.json is missing", "a/b", "1/2/3 of the texts", "tokens 5/8192", "plain text"}) {
      assertEquals(s, PathRedaction.redact(s));
    }
    assertEquals("/", PathRedaction.redact("/"));
    assertEquals("/etc", PathRedaction.redact("/etc"));
    assertNull(PathRedaction.redact(null));
  }

  @Test
  void failuresThatNameAPathAnywhereAreRebuiltWithoutTheirCauses() {
    IllegalStateException clean = new IllegalStateException("queue full");
    assertSame(clean, PathRedaction.redacted(clean));
    Throwable bad = PathRedaction.redacted(
        new IllegalArgumentException("model \"m\" failed", new java.io.IOException("/srv/n/models/m/config.json")));
    assertInstanceOf(IllegalArgumentException.class, bad);
    assertEquals("model \"m\" failed", bad.getMessage());
    assertNull(bad.getCause());
    Throwable other = PathRedaction.redacted(new RuntimeException("cannot read /srv/n/models/m/model.onnx"));
    assertInstanceOf(IllegalStateException.class, other);
    assertEquals("cannot read m/model.onnx", other.getMessage());
  }
}
