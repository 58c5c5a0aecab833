package io.videopipe.net;

import java.net.UnknownHostException;

/**
 * A host or address that {@link AddressGuard} refuses; the message names the host, the address and why. An {@link
 * UnknownHostException} so that HTTP clients' name resolution hooks may throw it: a refused host is one that cannot be
 * reached.
 */
public final class AddressRefusedException extends UnknownHostException {
  public AddressRefusedException(String message) {
    super(message);
  }
}
