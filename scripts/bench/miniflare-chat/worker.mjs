// The samples' ChatRoom for Miniflare, for the side-by-side fan-out benchmark: the same routes
// (/chat/{room}?user=NAME), frames and work per message (a SQLite insert, then a broadcast to
// every hibernatable socket), so the two servers are measured doing the same thing.
import { DurableObject } from "cloudflare:workers";

export class ChatRoom extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS messages(
      id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL)`);
  }

  async fetch(request) {
    const user = new URL(request.url).searchParams.get("user");
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], ["user:" + user]);
    pair[1].serializeAttachment({ user });
    pair[1].send(JSON.stringify({ type: "history", messages: this.history() }));
    this.broadcast({ type: "joined", user, present: this.present() });
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  webSocketMessage(ws, text) {
    const user = ws.deserializeAttachment().user;
    const at = new Date().toISOString();
    this.ctx.storage.sql.exec("INSERT INTO messages(user, text, at) VALUES (?, ?, ?)", user, text, at);
    this.broadcast({ type: "message", user, text, at });
  }

  history() {
    return this.ctx.storage.sql.exec("SELECT user, text, at FROM messages ORDER BY id DESC LIMIT 50")
      .toArray().reverse();
  }

  present() {
    const names = new Set();
    for (const ws of this.ctx.getWebSockets()) {
      for (const tag of this.ctx.getTags(ws)) if (tag.startsWith("user:")) names.add(tag.slice(5));
    }
    return [...names].sort();
  }

  broadcast(frame) {
    const json = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets()) {
      try { ws.send(json); } catch { /* closing; its close event tells the room */ }
    }
  }
}

export default {
  fetch(request, env) {
    const room = new URL(request.url).pathname.split("/")[2];
    return env.CHAT.get(env.CHAT.idFromName(room)).fetch(request);
  },
};
