package dev.durable.explorer.studio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The studio's files, read from this jar by name. Only plain names with a known extension are
 * served, so no request can climb out of the studio's folder or fetch a class file. Files are
 * read once and kept: they change only with the jar.
 */
final class StudioAssets {
  /** One file: its bytes, content type and a strong ETag (a hash of the bytes). */
  record Asset(byte[] bytes, String contentType, String etag) {}

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|css|js|svg)");

  private final String folder;
  private final Map<String, Optional<Asset>> loaded = new ConcurrentHashMap<>();

  /** @param folder the resource folder, e.g. {@code dev/durable/explorer/studio} */
  StudioAssets(String folder) {
    this.folder = folder;
  }

  /** The file of that name, or empty when the name is not a studio file. */
  Optional<Asset> find(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return loaded.computeIfAbsent(name, this::read);
  }

  private Optional<Asset> read(String name) {
    try (InputStream in = StudioAssets.class.getClassLoader().getResourceAsStream(folder + "/" + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String type = UiDirectory.TYPES.get(name.substring(name.lastIndexOf('.') + 1));
      return Optional.of(new Asset(bytes, type, etag(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the data studio's file " + name + " from the jar", e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
