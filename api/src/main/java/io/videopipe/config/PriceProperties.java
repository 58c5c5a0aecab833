package io.videopipe.config;

import io.videopipe.cost.Prices;
import io.videopipe.cost.Prices.Price;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The prices the cost ledger uses, under {@code videopipe.prices}: each with its amount, unit, the date it was read and
 * where. application.yml carries the current ones; a price left out falls back to {@link Prices#defaults()}.
 */
@ConfigurationProperties("videopipe.prices")
public record PriceProperties(
    Price cpuVcpuSecond,
    Price memoryGibSecond,
    Price gpuSecond,
    Price deepgramAudioMinute,
    Price storageGbMonth,
    Price egressGb) {

  public Prices toPrices() {
    Prices d = Prices.defaults();
    return new Prices(
        or(cpuVcpuSecond, d.cpuVcpuSecond()),
        or(memoryGibSecond, d.memoryGibSecond()),
        or(gpuSecond, d.gpuSecond()),
        or(deepgramAudioMinute, d.deepgramAudioMinute()),
        or(storageGbMonth, d.storageGbMonth()),
        or(egressGb, d.egressGb()));
  }

  private static Price or(Price configured, Price fallback) {
    return configured == null ? fallback : configured;
  }
}
