package io.videopipe.net;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;
import okhttp3.Connection;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * HTTP clients for URLs a user gave us (video sources, webhooks): every host name is resolved through the {@link
 * AddressGuard}, and the address actually connected to is checked again, so a DNS answer that changes between the
 * check and the connection (rebinding) cannot reach an internal address.
 */
public final class GuardedHttpClient {
  private GuardedHttpClient() {}

  /**
   * A builder with the guard installed: no proxy (the guard must see the real peer), HTTP/1.1, and no redirects (the
   * caller follows them itself, checking each, or refuses them). Add timeouts and build.
   */
  public static OkHttpClient.Builder builder(AddressGuard guard) {
    return new OkHttpClient.Builder()
        .proxy(Proxy.NO_PROXY)
        .protocols(List.of(Protocol.HTTP_1_1))
        .followRedirects(false)
        .followSslRedirects(false)
        .dns(guard::resolve)
        .addNetworkInterceptor(
            chain -> {
              Connection connection = chain.connection();
              if (connection != null) {
                InetSocketAddress peer = connection.route().socketAddress();
                guard.checkAddress(chain.request().url().host(), peer.getAddress());
              }
              return chain.proceed(chain.request());
            });
  }
}
