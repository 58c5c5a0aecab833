package io.videopipe.config;

import io.videopipe.cost.Prices;
import io.videopipe.cost.Prices.Price;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Changes to the prices the cost ledger uses, under {@code videopipe.prices}. The prices themselves, each with its
 * unit, the date it was read and where, are written once, in {@link Prices#defaults()}; a setting here replaces a part
 * of one (e.g. {@code VIDEOPIPE_PRICES_DEEPGRAMAUDIOMINUTE_USD=0.0077} with its {@code _DATE} and {@code _SOURCE}).
 *
 * @param cpuVcpuSecond CPU, per vCPU-second
 * @param memoryGibSecond memory, per GiB-second
 * @param gpuSecond GPU, per GPU-second
 * @param deepgramAudioMinute Deepgram, per audio minute
 * @param storageGbMonth object storage, per GB-month
 * @param egressGb internet egress, per GB
 */
@ConfigurationProperties("videopipe.prices")
public record PriceProperties(
    Change cpuVcpuSecond,
    Change memoryGibSecond,
    Change gpuSecond,
    Change deepgramAudioMinute,
    Change storageGbMonth,
    Change egressGb) {

  /**
   * What replaces a part of one price; the parts left unset keep their {@link Prices#defaults()} value.
   *
   * @param usd US dollars per unit
   * @param unit what one unit is
   * @param date when the price was read, e.g. 2026-07
   * @param source where it was read
   */
  public record Change(Double usd, String unit, String date, String source) {
    Price applyTo(Price price) {
      return new Price(
          usd != null ? usd : price.usd(),
          unit != null ? unit : price.unit(),
          date != null ? date : price.date(),
          source != null ? source : price.source());
    }
  }

  public Prices toPrices() {
    Prices d = Prices.defaults();
    return new Prices(
        apply(cpuVcpuSecond, d.cpuVcpuSecond()),
        apply(memoryGibSecond, d.memoryGibSecond()),
        apply(gpuSecond, d.gpuSecond()),
        apply(deepgramAudioMinute, d.deepgramAudioMinute()),
        apply(storageGbMonth, d.storageGbMonth()),
        apply(egressGb, d.egressGb()));
  }

  private static Price apply(Change change, Price price) {
    return change == null ? price : change.applyTo(price);
  }
}
