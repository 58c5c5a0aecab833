package io.videopipe.route;

/**
 * One engine as the route facts see it.
 *
 * @param available whether a job sent to it now can run (GPU pollers present, API key configured, model present)
 * @param usdPerAudioMinute estimated price per minute of audio
 * @param realTimeFactor estimated seconds of processing per second of audio
 * @param detail why it is or is not available
 */
public record EngineOption(
    Engine engine, boolean available, double usdPerAudioMinute, double realTimeFactor, String detail) {}
