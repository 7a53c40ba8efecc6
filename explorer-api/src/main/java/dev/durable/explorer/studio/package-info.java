/**
 * The data studio: a web page at {@code /cdn-cgi/explorer} to browse and edit every object's
 * tables, key-value entries and alarm. It is plain HTML, CSS and JavaScript modules shipped in
 * this jar (no build step), and it talks only to the explorer API, like any other client. The
 * dev server mounts it through {@link dev.durable.explorer.studio.StudioExtension}.
 */
package dev.durable.explorer.studio;
