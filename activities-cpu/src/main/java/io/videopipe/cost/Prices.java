package io.videopipe.cost;

/**
 * The prices the cost model uses, each with its unit, the date it was read and where. Immutable; change one with the
 * {@code with*} methods, e.g. {@code Prices.defaults().withDeepgramAudioMinute(Prices.DEEPGRAM_NOVA3_2026_08)}.
 *
 * <p>Defaults (reference.md section 7): Cloud Run CPU $0.000018 per vCPU-second, memory $0.000002 per GiB-second and L4
 * GPU $0.0001867 per GPU-second (2026-07 table); Deepgram nova-3 pre-recorded $0.0043 per audio minute (pricing page,
 * 2026-05; another source says $0.0077, 2026-08: {@link #DEEPGRAM_NOVA3_2026_08}); GCS Standard $0.02 per GB-month and
 * internet egress $0.12 per GB (first TiB; both undated in reference.md, so they carry its table's date). Google's
 * storage and egress "GB" is a binary gigabyte, 2^30 bytes (a GiB), and that is how the model applies them.
 *
 * <p>These are the only copy of the prices: the application's {@code videopipe.prices.*} settings change parts of them.
 */
public record Prices(
    Price cpuVcpuSecond,
    Price memoryGibSecond,
    Price gpuSecond,
    Price deepgramAudioMinute,
    Price storageGbMonth,
    Price egressGb) {

  /**
   * One price.
   *
   * @param usd US dollars per unit
   * @param unit what one unit is, e.g. "vCPU-second"
   * @param date when the price was read, e.g. "2026-07"
   * @param source where it was read
   */
  public record Price(double usd, String unit, String date, String source) {
    public Price {
      if (!(usd >= 0) || unit == null || date == null || source == null) {
        throw new IllegalArgumentException("a price needs usd >= 0, a unit, a date and a source");
      }
    }
  }

  public static final Price CLOUD_RUN_CPU =
      new Price(0.000018, "vCPU-second", "2026-07", "Cloud Run pricing table, CPU (us-central1)");
  public static final Price CLOUD_RUN_MEMORY =
      new Price(0.000002, "GiB-second", "2026-07", "Cloud Run pricing table, memory (us-central1)");
  public static final Price CLOUD_RUN_L4 =
      new Price(0.0001867, "GPU-second", "2026-07", "Cloud Run pricing table, NVIDIA L4 GPU (us-central1)");
  public static final Price DEEPGRAM_NOVA3_2026_05 =
      new Price(0.0043, "audio-minute", "2026-05", "Deepgram pricing page, nova-3 pre-recorded pay-as-you-go");
  public static final Price DEEPGRAM_NOVA3_2026_08 =
      new Price(0.0077, "audio-minute", "2026-08", "secondary source, nova-3 pre-recorded");
  public static final Price GCS_STANDARD =
      new Price(
          0.02, "GB-month (2^30 bytes)", "2026-07", "Cloud Storage pricing, Standard class");
  public static final Price INTERNET_EGRESS =
      new Price(
          0.12, "GB (2^30 bytes)", "2026-07", "Cloud Storage pricing, internet egress, first TiB");

  public Prices {
    if (cpuVcpuSecond == null || memoryGibSecond == null || gpuSecond == null || deepgramAudioMinute == null
        || storageGbMonth == null || egressGb == null) {
      throw new IllegalArgumentException("every price is required");
    }
  }

  public static Prices defaults() {
    return new Prices(
        CLOUD_RUN_CPU, CLOUD_RUN_MEMORY, CLOUD_RUN_L4, DEEPGRAM_NOVA3_2026_05, GCS_STANDARD, INTERNET_EGRESS);
  }

  public Prices withCpuVcpuSecond(Price p) {
    return new Prices(p, memoryGibSecond, gpuSecond, deepgramAudioMinute, storageGbMonth, egressGb);
  }

  public Prices withMemoryGibSecond(Price p) {
    return new Prices(cpuVcpuSecond, p, gpuSecond, deepgramAudioMinute, storageGbMonth, egressGb);
  }

  public Prices withGpuSecond(Price p) {
    return new Prices(cpuVcpuSecond, memoryGibSecond, p, deepgramAudioMinute, storageGbMonth, egressGb);
  }

  public Prices withDeepgramAudioMinute(Price p) {
    return new Prices(cpuVcpuSecond, memoryGibSecond, gpuSecond, p, storageGbMonth, egressGb);
  }

  public Prices withStorageGbMonth(Price p) {
    return new Prices(cpuVcpuSecond, memoryGibSecond, gpuSecond, deepgramAudioMinute, p, egressGb);
  }

  public Prices withEgressGb(Price p) {
    return new Prices(cpuVcpuSecond, memoryGibSecond, gpuSecond, deepgramAudioMinute, storageGbMonth, p);
  }
}
