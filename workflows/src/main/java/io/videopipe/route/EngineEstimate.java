package io.videopipe.route;

public record EngineEstimate(Engine engine, double estimatedUsd, double estimatedSec) {}
