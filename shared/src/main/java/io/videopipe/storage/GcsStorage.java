package io.videopipe.storage;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.StorageException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Storage in a Google Cloud Storage bucket under a root such as {@code gs://bucket/videopipe/}. Writes are buffered in a
 * local temporary file and uploaded on commit, so an object never appears half-written.
 */
public final class GcsStorage implements Storage {
  private final com.google.cloud.storage.Storage client;
  private final URI root;
  private final String bucket;
  private final String rootPrefix;
  private final Path tmpDir;

  /**
   * @param tmpDir where pending writes and {@link #localFile} copies are buffered
   */
  public GcsStorage(com.google.cloud.storage.Storage client, URI root, Path tmpDir) {
    if (!"gs".equals(root.getScheme()) || root.getAuthority() == null || root.getAuthority().isBlank()) {
      throw new IllegalArgumentException("not a gs://bucket/prefix/ root: " + root);
    }
    if (root.getQuery() != null || root.getFragment() != null) {
      throw new IllegalArgumentException("a gs:// root takes no query or fragment: " + root);
    }
    this.client = client;
    this.bucket = root.getAuthority();
    String path = root.normalize().getPath() == null ? "" : root.normalize().getPath();
    String prefix = path.startsWith("/") ? path.substring(1) : path;
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    if (hasDotSegment(prefix)) {
      throw new IllegalArgumentException("a gs:// root must not contain '..': " + root);
    }
    this.rootPrefix = prefix;
    this.root = toUri(bucket, prefix);
    try {
      this.tmpDir = Files.createDirectories(tmpDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create temporary directory " + tmpDir, e);
    }
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public URI root() {
    return root;
  }

  @Override
  public boolean owns(URI uri) {
    if (!"gs".equals(uri.getScheme()) || !bucket.equals(uri.getAuthority())) {
      return false;
    }
    if (uri.getQuery() != null || uri.getFragment() != null || uri.getPath() == null) {
      return false;
    }
    String name = uri.getPath().startsWith("/") ? uri.getPath().substring(1) : uri.getPath();
    return name.startsWith(rootPrefix) && !hasDotSegment(name);
  }

  /** The object name a URI of this storage stands for. */
  public String objectName(URI uri) {
    if (!owns(uri)) {
      throw new IllegalArgumentException(uri + " is not under storage root " + root);
    }
    return uri.getPath().substring(1);
  }

  @Override
  public InputStream openRead(URI uri, long offset) throws IOException {
    if (offset < 0) {
      throw new IllegalArgumentException("negative offset " + offset);
    }
    Blob blob = get(uri);
    if (blob == null) {
      throw new FileNotFoundException("no such object: " + uri);
    }
    // Pin the generation so a concurrent overwrite cannot mix two versions in one read.
    ReadChannel reader = client.reader(blob.getBlobId());
    try {
      if (offset > 0) {
        reader.seek(offset);
      }
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
    return Channels.newInputStream(reader);
  }

  @Override
  public PendingWrite create(URI uri) throws IOException {
    BlobInfo target = BlobInfo.newBuilder(BlobId.of(bucket, objectName(uri))).build();
    Path tmp = Files.createTempFile(tmpDir, "gcs-write-", ".tmp");
    return TempFilePendingWrite.open(tmp, staged -> upload(staged, target, uri));
  }

  @Override
  public void put(Path file, URI uri, boolean move) throws IOException {
    upload(file, BlobInfo.newBuilder(BlobId.of(bucket, objectName(uri))).build(), uri);
    if (move) {
      Files.deleteIfExists(file);
    }
  }

  private void upload(Path file, BlobInfo target, URI uri) throws IOException {
    try {
      // A resumable upload: the object becomes visible only once every byte has arrived.
      client.createFrom(target, file);
    } catch (StorageException e) {
      throw new IOException("upload to " + uri + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public LocalFile localFile(URI uri) throws IOException {
    Blob blob = get(uri);
    if (blob == null) {
      throw new FileNotFoundException("no such object: " + uri);
    }
    Path tmp = Files.createTempFile(tmpDir, "gcs-read-", ".tmp");
    try {
      client.downloadTo(blob.getBlobId(), tmp);
      return new LocalFile(tmp, true);
    } catch (StorageException e) {
      Files.deleteIfExists(tmp);
      if (e.getCode() == 404) {
        throw new FileNotFoundException("no such object: " + uri);
      }
      throw new IOException("download of " + uri + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  @Override
  public Optional<Long> size(URI uri) throws IOException {
    return Optional.ofNullable(get(uri)).map(BlobInfo::getSize);
  }

  @Override
  public List<URI> list(URI prefix) throws IOException {
    List<URI> uris = new ArrayList<>();
    for (String name : listNames(objectName(prefix))) {
      uris.add(toUri(bucket, name));
    }
    return uris;
  }

  @Override
  public int deletePrefix(URI prefix) throws IOException {
    int deleted = 0;
    for (String name : listNames(objectName(prefix))) {
      try {
        if (client.delete(BlobId.of(bucket, name))) {
          deleted++;
        }
      } catch (StorageException e) {
        throw new IOException("delete of " + toUri(bucket, name) + " failed: " + e.getMessage(), e);
      }
    }
    return deleted;
  }

  /**
   * Object names under a prefix. A prefix without a trailing slash names an object or a "directory", as in
   * {@link LocalStorage}: {@code jobs/1} must not match {@code jobs/10/...}.
   */
  private List<String> listNames(String name) throws IOException {
    try {
      List<String> names = new ArrayList<>();
      String dirPrefix = name;
      if (!name.isEmpty() && !name.endsWith("/")) {
        if (client.get(BlobId.of(bucket, name)) != null) {
          names.add(name);
        }
        dirPrefix = name + "/";
      }
      for (Blob blob : client.list(bucket, com.google.cloud.storage.Storage.BlobListOption.prefix(dirPrefix)).iterateAll()) {
        names.add(blob.getName());
      }
      names.sort(null);
      return names;
    } catch (StorageException e) {
      throw new IOException("listing gs://" + bucket + "/" + name + " failed: " + e.getMessage(), e);
    }
  }

  private Blob get(URI uri) throws IOException {
    try {
      return client.get(BlobId.of(bucket, objectName(uri)));
    } catch (StorageException e) {
      throw new IOException("cannot read metadata of " + uri + ": " + e.getMessage(), e);
    }
  }

  private static boolean hasDotSegment(String name) {
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        return true;
      }
    }
    return false;
  }

  private static URI toUri(String bucket, String objectName) {
    try {
      // The multi-argument constructor percent-encodes characters that are not legal in a URI path.
      return new URI("gs", bucket, "/" + objectName, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot form a URI for gs://" + bucket + "/" + objectName, e);
    }
  }
}
