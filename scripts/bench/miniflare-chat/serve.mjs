// Serves worker.mjs with Miniflare on a port until killed. Usage: node serve.mjs PORT
import { Miniflare } from "miniflare";
import { fileURLToPath } from "node:url";

const port = Number(process.argv[2]);
const mf = new Miniflare({
  modules: true,
  scriptPath: fileURLToPath(new URL("./worker.mjs", import.meta.url)),
  compatibilityDate: "2025-01-01",
  durableObjects: { CHAT: { className: "ChatRoom", useSQLite: true } },
  host: "127.0.0.1",
  port,
});
await mf.ready;
console.log(`miniflare ready on ${port}`);
