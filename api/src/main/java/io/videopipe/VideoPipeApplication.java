package io.videopipe;

import io.videopipe.bench.BenchCommand;
import io.videopipe.cli.ProcessCommand;
import io.videopipe.bench.parakeet.EquivalentCommand;
import io.videopipe.bench.parakeet.ParakeetStageBench;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point. {@code serve} (the default) runs the role chosen by {@code --spring.profiles.active} ({@code local} when
 * none is given); {@code process <source>} runs one job on the embedded defaults and prints its JSON summary.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VideoPipeApplication {

  public static void main(String[] args) {
    String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : "serve";
    String[] rest = args.length > 0 && !args[0].startsWith("-") ? Arrays.copyOfRange(args, 1, args.length) : args;
    switch (command) {
      case "serve" -> SpringApplication.run(VideoPipeApplication.class, rest);
      case "process" -> System.exit(ProcessCommand.run(rest));
      case "bench" -> System.exit(BenchCommand.run(rest));
      case "bench-parakeet" -> System.exit(ParakeetStageBench.run(rest, System.out, System.err));
      case "parakeet-equivalent" -> System.exit(EquivalentCommand.run(rest, System.out, System.err));
      case "help", "--help", "-h" -> System.out.println(usage());
      default -> {
        System.err.println("unknown command '" + command + "'\n" + usage());
        System.exit(2);
      }
    }
  }

  /** A Spring application for the {@code process} command: the local role without the HTTP server. */
  public static SpringApplication processApplication() {
    SpringApplication app = new SpringApplication(VideoPipeApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setAdditionalProfiles("local", "process");
    app.setLogStartupInfo(false);
    return app;
  }

  static String usage() {
    return """
        usage:
          videopipe.jar serve [--spring.profiles.active=local|api|cpu-worker|gpu-worker|dev-server] [--server.port=8080]
          videopipe.jar process <path-or-url> [--engine auto|local|parakeet|deepgram] [--out DIR] [--job-id ID]
                                [--priority 1..5] [--keep-source] [--max-highlights 0..20]
                                [--vertical | --square] [--captions] [--audio-track INDEX|LANG]   (docs/clips.md)
          videopipe.jar bench [--only=extract,vosk,parakeet,pipeline,memory,render,grid] [--parakeet-model=DIR]
                              [--out=bench-results.json] [--quick]   performance figures, table + JSON
          videopipe.jar bench-parakeet <model-dir|equivalent> <audio>   real-time factor of each Parakeet stage
          videopipe.jar parakeet-equivalent [--int8]   writes the compute-equivalent Parakeet (random weights)
        """;
  }
}
