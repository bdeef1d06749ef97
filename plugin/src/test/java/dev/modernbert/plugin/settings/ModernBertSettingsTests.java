package dev.modernbert.plugin.settings;

import static org.hamcrest.Matchers.containsString;

import dev.modernbert.inference.engine.Quantization;
import dev.modernbert.plugin.ModernBertPlugin;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchTestCase;

/** The plugin's settings on OpenSearch's own settings machinery: defaults, and bad values refused by name. */
public class ModernBertSettingsTests extends OpenSearchTestCase {
  public void testDefaults() {
    assertEquals("auto", ModernBertSettings.DEVICE.get(Settings.EMPTY));
    assertEquals(Quantization.NONE, ModernBertSettings.QUANTIZATION.get(Settings.EMPTY));
    assertEquals("by device", 0, (int) ModernBertSettings.MAX_BATCH_TOKENS.get(Settings.EMPTY));
    assertEquals(1000, (int) ModernBertSettings.QUERY_CACHE_SIZE.get(Settings.EMPTY));
    assertFalse("no network access unless enabled", ModernBertSettings.DOWNLOAD_ENABLED.get(Settings.EMPTY));
    assertTrue(ModernBertSettings.INFERENCE_THREADS.get(Settings.EMPTY) >= 1);
  }

  public void testValidValuesAreAccepted() {
    Settings s = Settings.builder().put("plugins.modernbert.device", "cuda:1").put("plugins.modernbert.query_cache_size", 0)
        .put("plugins.modernbert.download.endpoint", "http://mirror.local:8080/")
        .put("plugins.modernbert.quantization", "int8").build();
    assertEquals(Quantization.INT8, ModernBertSettings.QUANTIZATION.get(s));
    assertEquals("cuda:1", ModernBertSettings.DEVICE.get(s));
    assertEquals(0, (int) ModernBertSettings.QUERY_CACHE_SIZE.get(s));
    assertEquals("http://mirror.local:8080", ModernBertSettings.DOWNLOAD_ENDPOINT.get(s));
  }

  public void testBadValuesAreRefusedWithTheSettingNamed() {
    assertRefused(ModernBertSettings.DEVICE, "tpu");
    assertRefused(ModernBertSettings.DEVICE, "cuda:-1");
    assertRefused(ModernBertSettings.QUANTIZATION, "int4");
    assertRefused(ModernBertSettings.MAX_BATCH_TOKENS, "-1");
    assertRefused(ModernBertSettings.MAX_BATCH_TOKENS, "10");
    assertRefused(ModernBertSettings.QUEUE_MAX_TOKENS, "0");
    assertRefused(ModernBertSettings.QUERY_CACHE_SIZE, "-1");
    assertRefused(ModernBertSettings.INFERENCE_THREADS, "0");
    assertRefused(ModernBertSettings.DOWNLOAD_ENDPOINT, "file:///etc/passwd");
  }

  private static void assertRefused(Setting<?> setting, String value) {
    Settings s = Settings.builder().put(setting.getKey(), value).build();
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> setting.get(s));
    assertThat(e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause().getMessage()),
        containsString(setting.getKey().equals("plugins.modernbert.download.endpoint") ? "http(s)" : setting.getKey()));
  }

  public void testThePluginRegistersEverySetting() {
    assertEquals(ModernBertSettings.all(), new ModernBertPlugin(Settings.EMPTY).getSettings());
  }
}
