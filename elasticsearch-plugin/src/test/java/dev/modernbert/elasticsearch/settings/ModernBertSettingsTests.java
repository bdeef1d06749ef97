package dev.modernbert.elasticsearch.settings;

import static org.hamcrest.Matchers.containsString;

import dev.modernbert.inference.engine.Quantization;
import dev.modernbert.inference.runtime.DeviceSpec;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.test.ESTestCase;

/** Bad node settings are refused when the node starts, with the setting named. */
public class ModernBertSettingsTests extends ESTestCase {
  public void testBadValuesAreRefusedWithTheSettingNamed() {
    assertThat(expectThrows(IllegalArgumentException.class, () -> ModernBertSettings.DEVICE.get(
        Settings.builder().put("plugins.modernbert.device", "tpu").build())).getMessage(),
        containsString("plugins.modernbert.device"));
    assertThat(expectThrows(IllegalArgumentException.class, () -> ModernBertSettings.engine(
        Settings.builder().put("plugins.modernbert.max_batch_tokens", 10).build())).getMessage(),
        containsString("plugins.modernbert.max_batch_tokens"));
    assertThat(expectThrows(IllegalArgumentException.class, () -> ModernBertSettings.QUEUE_MAX_TOKENS.get(
        Settings.builder().put("plugins.modernbert.queue_max_tokens", 0).build())).getMessage(),
        containsString("plugins.modernbert.queue_max_tokens"));
    IllegalArgumentException quantization = expectThrows(IllegalArgumentException.class,
        () -> ModernBertSettings.engine(Settings.builder().put("plugins.modernbert.quantization", "int4").build()));
    assertThat(quantization.getMessage(), containsString("plugins.modernbert.quantization"));
    assertThat(quantization.getCause().getMessage(), containsString("none or int8"));
    assertEquals(Quantization.NONE, ModernBertSettings.engine(Settings.EMPTY).quantization());
    assertEquals(Quantization.INT8, ModernBertSettings.engine(
        Settings.builder().put("plugins.modernbert.quantization", "int8").build()).quantization());
    assertEquals(DeviceSpec.Kind.CPU, ModernBertSettings.engine(
        Settings.builder().put("plugins.modernbert.device", "cpu").build()).device().kind());
  }
}
