package io.videopipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.videopipe.cost.Prices;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

class PricePropertiesTest {

  @Test
  void thePricesAreWrittenOnceInPricesAndApplicationYmlCarriesNone() throws IOException {
    PropertySource<?> yml =
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml")).get(0);
    Binder binder = new Binder(ConfigurationPropertySources.from(yml));

    assertThat(binder.bind("videopipe.prices", PriceProperties.class).isBound()).isFalse();
    Prices prices = binder.bindOrCreate("videopipe.prices", PriceProperties.class).toPrices();
    assertThat(prices).isEqualTo(Prices.defaults());
    assertThat(prices.storageGbMonth().usd()).isEqualTo(0.02);
    assertThat(prices.egressGb().date()).isEqualTo("2026-07");
  }

  @Test
  void aPriceChangedInOnePartKeepsItsOtherParts() {
    Binder binder =
        new Binder(new MapConfigurationPropertySource(Map.of("videopipe.prices.gpu-second.usd", "0.0002")));

    Prices prices = binder.bind("videopipe.prices", PriceProperties.class).get().toPrices();

    assertThat(prices.gpuSecond().usd()).isEqualTo(0.0002);
    assertThat(prices.gpuSecond().unit()).isEqualTo(Prices.CLOUD_RUN_L4.unit());
    assertThat(prices.gpuSecond().source()).isEqualTo(Prices.CLOUD_RUN_L4.source());
    assertThat(prices.withGpuSecond(Prices.CLOUD_RUN_L4)).isEqualTo(Prices.defaults());
  }

  @Test
  void aConfiguredPriceReplacesTheDefaultAndTheRestStay() {
    Binder binder =
        new Binder(
            new MapConfigurationPropertySource(
                Map.of(
                    "videopipe.prices.deepgram-audio-minute.usd", "0.0077",
                    "videopipe.prices.deepgram-audio-minute.unit", "audio-minute",
                    "videopipe.prices.deepgram-audio-minute.date", "2026-08",
                    "videopipe.prices.deepgram-audio-minute.source", "secondary source")));

    Prices prices = binder.bind("videopipe.prices", PriceProperties.class).get().toPrices();

    assertThat(prices.deepgramAudioMinute().usd()).isEqualTo(0.0077);
    assertThat(prices.deepgramAudioMinute().date()).isEqualTo("2026-08");
    assertThat(prices.cpuVcpuSecond()).isEqualTo(Prices.CLOUD_RUN_CPU);
  }
}
