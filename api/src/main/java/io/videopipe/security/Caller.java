package io.videopipe.security;

import java.util.regex.Pattern;

/**
 * Who sent a request, as the API key filter established it: the key's name (never the key), its tenant, and whether
 * it is an admin key. Admin keys see and control every tenant's jobs, bulk runs and schedules; any other key only its
 * own tenant's, and another tenant's is answered as if it did not exist.
 *
 * @param keyName the key's name, recorded as the job's {@code requestedBy}
 * @param tenant the key's tenant, recorded on what it starts
 * @param admin whether the key has the admin scope
 */
public record Caller(String keyName, String tenant, boolean admin) {
  /** Request attribute holding the {@link Caller}. */
  public static final String ATTRIBUTE = "io.videopipe.security.caller";
  /** The tenant of the bootstrap key, of keys configured without one, and of jobs from before tenants. */
  public static final String DEFAULT_TENANT = "default";
  /** Key names and tenants: lower-case letters, digits, '_' and '-', so each is safe in a visibility query. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /** The tenant that owns something recorded with {@code tenant}; null (from before tenants) is the default. */
  public static String owner(String tenant) {
    return tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
  }

  /** Whether this caller may see and control what {@code ownerTenant} owns. */
  public boolean mayAccess(String ownerTenant) {
    return admin || tenant.equals(owner(ownerTenant));
  }

  /** The tenant a listing is restricted to: null (all) for admin keys. */
  public String listingTenant() {
    return admin ? null : tenant;
  }
}
