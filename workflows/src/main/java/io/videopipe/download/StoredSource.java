package io.videopipe.download;

/**
 * @param sourceUri what the job asked for
 * @param storedUri our copy in storage
 * @param sizeBytes bytes copied
 * @param sha256 hex SHA-256 of the bytes
 */
public record StoredSource(String sourceUri, String storedUri, long sizeBytes, String sha256) {}
