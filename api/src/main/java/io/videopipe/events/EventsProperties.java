package io.videopipe.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Server-sent event streams, bound from {@code videopipe.events.*}.
 *
 * @param maxStreamsPerKey open streams one API key may hold at once (job and list streams together); 429 beyond
 * @param timeout how long one stream stays open before the server ends it (clients reconnect)
 * @param pollInterval how often each stream looks for a change
 * @param keepAlive a comment is sent after this long without an event, so dead connections are noticed and freed
 * @param threads the scheduler threads shared by every stream (no thread is held per connection)
 */
@ConfigurationProperties("videopipe.events")
public record EventsProperties(
    @DefaultValue("8") int maxStreamsPerKey,
    @DefaultValue("30m") Duration timeout,
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("15s") Duration keepAlive,
    @DefaultValue("2") int threads) {}
