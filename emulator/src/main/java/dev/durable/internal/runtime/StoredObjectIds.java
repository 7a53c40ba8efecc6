package dev.durable.internal.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of a namespace's stored objects, listed again only when its directory changed. Reading
 * a directory of ten thousand files costs tens of milliseconds, and paging through it would
 * otherwise read it once per page.
 *
 * <p>A listing is reused while the directory's modification time is unchanged, and only if it
 * was taken well after that time: file systems stamp times in coarse ticks, so a file created in
 * the same tick as the listing would not change the stamp.
 */
final class StoredObjectIds {
  /** Beyond the coarsest time stamps of common file systems (FAT: 2 s). */
  private static final long TRUST_AFTER_MILLIS = 2_500;

  private record Listing(FileTime modified, long listedAtMillis, List<String> ids) {}

  private final Map<String, Listing> listings = new ConcurrentHashMap<>();

  /** The sorted ids of objects with a database file (for an in-memory namespace, with a database). */
  List<String> of(ObjectNamespace ns) {
    Path dir = ns.directory();
    FileTime before = dir == null ? null : modified(dir);
    if (before == null) {
      return ns.storedIds();
    }
    Listing cached = listings.get(ns.namespaceId());
    if (cached != null && cached.modified().equals(before)
        && cached.listedAtMillis() - before.toMillis() >= TRUST_AFTER_MILLIS) {
      return cached.ids();
    }
    // Wall-clock time on purpose: it is compared with file system stamps, not the runtime's clock.
    long listedAt = System.currentTimeMillis();
    List<String> ids = ns.storedIds();
    if (before.equals(modified(dir))) {
      listings.put(ns.namespaceId(), new Listing(before, listedAt, ids));
    }
    return ids;
  }

  private static FileTime modified(Path dir) {
    try {
      return Files.getLastModifiedTime(dir);
    } catch (IOException e) {
      return null; // no directory yet: nothing stored
    }
  }
}
