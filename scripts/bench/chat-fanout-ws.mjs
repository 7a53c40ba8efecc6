// WebSocket fan-out with the Node `ws` client, as ChatFanout.java measures it: C clients join one
// ChatRoom, each sends M messages, every message is broadcast to all C. Counts deliveries per
// second from the first send to the last delivery. `ws` offers permessage-deflate by default, as a
// browser does. Usage: node chat-fanout-ws.mjs ws://127.0.0.1:8787 50 40
import WebSocket from "ws";

const [base, clientsArg, perClientArg] = process.argv.slice(2);
const clients = Number(clientsArg);
const perClient = Number(perClientArg);
if (!base || !(clients > 0) || !(perClient > 0)) {
  console.error("usage: node chat-fanout-ws.mjs ws://HOST:PORT CLIENTS MESSAGES");
  process.exit(2);
}
const room = `fanout-ws-${process.hrtime.bigint()}`;
const expected = clients * clients * perClient;
const lastUser = `u${clients - 1}`;
let delivered = 0;
let lastAt = 0n;
let seenLastJoin = 0;
let started = 0n;
let onAllJoined;
let onDone;
const allJoined = new Promise((resolve) => (onAllJoined = resolve));
const done = new Promise((resolve) => (onDone = resolve));

const sockets = [];
for (let i = 0; i < clients; i++) {
  const ws = new WebSocket(`${base}/chat/${room}?user=u${i}`);
  let sawLastJoin = false;
  ws.on("message", (data, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    if (text.startsWith('{"type":"message"')) {
      if (++delivered === expected) {
        lastAt = process.hrtime.bigint();
        onDone();
      }
    } else if (!sawLastJoin && text.startsWith('{"type":"joined"') && text.includes(`"user":"${lastUser}"`)) {
      sawLastJoin = true;
      if (++seenLastJoin === clients) onAllJoined();
    }
  });
  ws.on("error", (e) => {
    console.error(`u${i}: ${e.message}`);
    process.exit(1);
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  sockets.push(ws);
}
const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(what)), ms).unref());
await Promise.race([allJoined, timeout(30_000, "not every client saw the last join")]);
const negotiated = sockets[0].extensions || "none";
started = process.hrtime.bigint();
for (const ws of sockets) {
  for (let m = 0; m < perClient; m++) ws.send(`message ${m}`);
}
let complete = true;
await Promise.race([done, timeout(60_000, "incomplete")]).catch(() => (complete = false));
const ended = complete ? lastAt : process.hrtime.bigint();
const seconds = Number(ended - started) / 1e9;
console.log(`${clients} clients x ${perClient} messages: ${delivered} of ${expected} deliveries in ` +
  `${seconds.toFixed(2)} s = ${Math.round(delivered / seconds)} deliveries/s` +
  ` (extensions: ${negotiated})${complete ? "" : " (INCOMPLETE)"}`);
for (const ws of sockets) ws.terminate();
