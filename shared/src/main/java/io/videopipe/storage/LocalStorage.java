package io.videopipe.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** Storage in a local directory (the embedded default, {@code ./data}). */
public final class LocalStorage implements Storage {
  private static final String TMP_MARK = ".tmp-";
  private final Path rootDir;
  private final URI root;

  public LocalStorage(Path rootDir) {
    try {
      this.rootDir = Files.createDirectories(rootDir.toAbsolutePath().normalize());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create storage directory " + rootDir, e);
    }
    this.root = this.rootDir.toUri();
  }

  public Path rootDir() {
    return rootDir;
  }

  @Override
  public URI root() {
    return root;
  }

  @Override
  public boolean owns(URI uri) {
    if (!"file".equals(uri.getScheme())) {
      return false;
    }
    try {
      return Path.of(uri).normalize().startsWith(rootDir);
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      // e.g. file://host/x or a URI with a query: not a path of ours
      return false;
    }
  }

  /** The local path of an object of this storage. */
  public Path path(URI uri) {
    if (!owns(uri)) {
      throw new IllegalArgumentException(uri + " is not under storage root " + root);
    }
    return Path.of(uri).normalize();
  }

  @Override
  public InputStream openRead(URI uri, long offset) throws IOException {
    Path p = path(uri);
    if (!Files.isRegularFile(p)) {
      throw new FileNotFoundException("no such object: " + uri);
    }
    FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
    ch.position(offset);
    return Channels.newInputStream(ch);
  }

  @Override
  public PendingWrite create(URI uri) throws IOException {
    Path target = path(uri);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + TMP_MARK + UUID.randomUUID());
    return TempFilePendingWrite.open(tmp, staged -> moveAtomically(staged, target));
  }

  @Override
  public void put(Path file, URI uri, boolean move) throws IOException {
    Path target = path(uri);
    Files.createDirectories(target.getParent());
    if (move) {
      try {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return;
      } catch (AtomicMoveNotSupportedException e) {
        // another file system: a plain move would copy in place, visible half-written; copy beside, then rename
      }
    }
    Path tmp = target.resolveSibling("." + target.getFileName() + TMP_MARK + UUID.randomUUID());
    try {
      Files.copy(file, tmp);
      moveAtomically(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
    if (move) {
      Files.deleteIfExists(file);
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public LocalFile localFile(URI uri) throws IOException {
    Path p = path(uri);
    if (!Files.isRegularFile(p)) {
      throw new FileNotFoundException("no such object: " + uri);
    }
    return new LocalFile(p, false);
  }

  @Override
  public Optional<Long> size(URI uri) throws IOException {
    Path p = path(uri);
    return Files.isRegularFile(p) ? Optional.of(Files.size(p)) : Optional.empty();
  }

  @Override
  public List<URI> list(URI prefix) throws IOException {
    Path p = path(prefix);
    if (Files.isRegularFile(p)) {
      return List.of(p.toUri());
    }
    if (!Files.isDirectory(p)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(p)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().contains(TMP_MARK))
          .sorted()
          .map(Path::toUri)
          .toList();
    }
  }

  @Override
  public int deletePrefix(URI prefix) throws IOException {
    Path p = path(prefix);
    if (!Files.exists(p)) {
      return 0;
    }
    if (Files.isRegularFile(p)) {
      Files.delete(p);
      return 1;
    }
    List<Path> deleted = new ArrayList<>();
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
            if (!file.getFileName().toString().contains(TMP_MARK)) {
              deleted.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            try {
              Files.deleteIfExists(dir);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
              // a concurrent writer added a file: leave the directory
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            if (exc instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw exc;
          }
        });
    return deleted.size();
  }
}
