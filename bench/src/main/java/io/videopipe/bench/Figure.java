package io.videopipe.bench;

/**
 * One measured number.
 *
 * @param key stable name in the JSON output
 * @param label what the table shows
 * @param value the number (NaN when it could not be measured)
 * @param unit "s", "x", "MiB", "jobs/min", ...
 */
record Figure(String key, String label, double value, String unit) {}
