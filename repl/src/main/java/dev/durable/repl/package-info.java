/**
 * {@code durable repl}: a JLine shell on the Durable Objects of a running emulator, speaking
 * only the explorer API over HTTP. One command table serves the interactive console and scripts
 * (a file or standard input); {@link dev.durable.repl.ReplCommand} is the entry point.
 */
package dev.durable.repl;
