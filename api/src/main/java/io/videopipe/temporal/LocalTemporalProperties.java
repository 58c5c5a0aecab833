package io.videopipe.temporal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which Temporal server the local role (and the {@code process} command) runs on, from {@code
 * videopipe.temporal.local.*}.
 *
 * @param server {@code auto}: a real server from the Temporal CLI when one is installed ({@link TemporalCli}), the
 *     in-memory test server otherwise; {@code cli}: the CLI server or an error naming the install script; {@code
 *     embedded}: always the in-memory one. The {@code process} command never starts a server: in {@code auto} it
 *     submits to the one that answers on {@code videopipe.temporal.address}, else runs in memory
 * @param cli path of the {@code temporal} binary; empty to look it up
 * @param grpcPort the server's gRPC port on 127.0.0.1
 * @param uiPort the Web UI's port on 127.0.0.1
 * @param dir where the SQLite file and the server's log live; empty for {@code temporal/} under a local storage root
 *     ({@code ./data/temporal} otherwise)
 * @param uiCodecEndpoint the codec endpoint the Web UI decodes encrypted payloads with (this API's {@code /codec}),
 *     empty for none
 */
@ConfigurationProperties("videopipe.temporal.local")
public record LocalTemporalProperties(
    @DefaultValue("auto") String server,
    @DefaultValue("") String cli,
    @DefaultValue("7233") int grpcPort,
    @DefaultValue("8233") int uiPort,
    @DefaultValue("") String dir,
    @DefaultValue("") String uiCodecEndpoint) {

  public LocalTemporalProperties {
    if (!server.equals("auto") && !server.equals("cli") && !server.equals("embedded")) {
      throw new IllegalArgumentException(
          "videopipe.temporal.local.server must be auto, cli or embedded, was '" + server + "'");
    }
  }
}
