package io.videopipe.download;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** A file on the worker's own disk (local role only), read through its checked real path. */
final class LocalFileSource implements Source {
  private final Path path;
  private final Path real;

  /**
   * @param path the path as given, for messages
   * @param real its real path, checked against the local roots: the file actually read, never through a link
   */
  LocalFileSource(Path path, Path real) {
    this.path = path.toAbsolutePath().normalize();
    this.real = real;
  }

  @Override
  public String displayUri() {
    return path.toString();
  }

  @Override
  public String fileName() {
    Path name = path.getFileName();
    return SourceUris.fileName(name == null ? "" : name.toString());
  }

  @Override
  public SourceStream open(Checkpoint checkpoint) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw Failures.notFound("source not found: no such file " + path);
    }
    if (!attributes.isRegularFile()) {
      throw Failures.notFound("source not found: " + path + " is not a regular file");
    }
    String validator = "mtime:" + attributes.lastModifiedTime().toMillis() + ",size:" + attributes.size();
    long start = checkpoint.offset() > 0 && validator.equals(checkpoint.validator()) ? checkpoint.offset() : 0;
    FileChannel channel;
    try {
      channel = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (AccessDeniedException e) {
      throw Failures.notAllowed("source " + path + " cannot be read: permission denied");
    } catch (NoSuchFileException e) {
      throw Failures.notFound("source not found: no such file " + path);
    }
    channel.position(start);
    return new SourceStream(Channels.newInputStream(channel), start, attributes.size(), validator, true);
  }
}
