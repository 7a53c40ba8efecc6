/**
 * The explorer API at {@code /cdn-cgi/explorer/api}: the routes Cloudflare's Local Explorer
 * serves (namespaces, objects, SQL queries), with the same wire format, and durable's data studio
 * (tables, rows, key-value entries, the alarm, exports, RPC). The dev server mounts it through
 * {@link dev.durable.explorer.ExplorerExtension}; everything else in this package is internal.
 *
 * <p>Objects are read and edited inside their input gate without being woken
 * ({@link dev.durable.internal.runtime.ObjectHandle#inspect}), and listed from their files on disk.
 */
package dev.durable.explorer;
