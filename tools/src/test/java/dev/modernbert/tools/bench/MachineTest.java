package dev.modernbert.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MachineTest {
  @Test
  void namesTheModelAndItsMatrixInstructionSets() {
    List<String> cpuinfo = List.of("processor\t: 0", "vendor_id\t: GenuineIntel",
        "model name\t: Intel(R) Xeon(R) Processor", "flags\t\t: fpu avx2 avx512f avx512bw amx_bf16 amx_tile amx_int8",
        "", "processor\t: 1", "model name\t: Intel(R) Xeon(R) Processor");
    assertEquals(Optional.of("Intel(R) Xeon(R) Processor (avx2 avx512f amx_tile)"), Machine.cpu(cpuinfo));
  }

  @Test
  void aCpuWithoutMatrixFlagsIsNamedAlone() {
    assertEquals(Optional.of("AMD EPYC 7B13"), Machine.cpu(List.of("model name : AMD EPYC 7B13", "flags : fpu sse2")));
  }

  @Test
  void noModelNameNoCpu() {
    assertEquals(Optional.empty(), Machine.cpu(List.of("processor : 0", "Features : fp asimd")));
  }

  @Test
  void describesCoresArchitectureAndJava() {
    String d = Machine.describe();
    assertTrue(d.startsWith(Runtime.getRuntime().availableProcessors() + " cores, "), d);
    assertTrue(d.endsWith(System.getProperty("os.arch") + ", Java " + Runtime.version().feature()), d);
  }
}
