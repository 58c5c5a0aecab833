package io.videopipe.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the figures were measured on: they only compare with figures from the same kind of machine. */
public record MachineInfo(
    int cores, String cpuModel, long ramBytes, String javaVersion, String javaVm, String os, double loadAverageAtStart) {

  public static MachineInfo current() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        readCpuModel(),
        os.getTotalMemorySize(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        os.getSystemLoadAverage());
  }

  /** The one-minute load average now: shows how busy the machine was while a section ran. */
  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String readCpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  public String oneLine() {
    return String.format(
        java.util.Locale.ROOT,
        "%d cores, %s, %.1f GiB RAM, Java %s (%s), %s, load average %.2f",
        cores, cpuModel, ramBytes / (double) (1L << 30), javaVersion, javaVm, os, loadAverageAtStart);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", cores);
    m.put("cpuModel", cpuModel);
    m.put("ramBytes", ramBytes);
    m.put("javaVersion", javaVersion);
    m.put("javaVm", javaVm);
    m.put("os", os);
    m.put("loadAverageAtStart", loadAverageAtStart);
    return m;
  }
}
