package io.videopipe.cost;

/**
 * One priced resource use.
 *
 * @param resource e.g. "cpu-seconds", "gpu-seconds", "deepgram-audio-minutes", "storage-gb-months"
 * @param quantity amount of the resource
 * @param unitPriceUsd price of one unit
 * @param priceDate when the price was read, e.g. "2026-07"
 * @param priceSource where it was read
 */
public record CostLine(
    String step,
    String resource,
    double quantity,
    double unitPriceUsd,
    String priceDate,
    String priceSource,
    double usd) {}
