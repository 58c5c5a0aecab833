package io.videopipe.ui;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dashboard, bound from {@code videopipe.ui.*}.
 *
 * @param temporalUiUrl base URL of the Temporal Web UI (e.g. http://localhost:8233) for the link on each job page;
 *     empty: no link (the embedded server of the local role has no Web UI); environment: VIDEOPIPE_UI_TEMPORALUIURL
 */
@ConfigurationProperties("videopipe.ui")
public record UiProperties(@DefaultValue("") String temporalUiUrl) {}
