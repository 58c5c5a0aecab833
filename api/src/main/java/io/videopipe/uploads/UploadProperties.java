package io.videopipe.uploads;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Source uploads ({@code POST /api/v1/uploads} and the dashboard's file field), bound from {@code videopipe.uploads.*}.
 *
 * @param maxSize largest upload; the body streams to storage and is refused (413) as soon as it passes this
 */
@ConfigurationProperties("videopipe.uploads")
public record UploadProperties(@DefaultValue("2GB") DataSize maxSize) {}
