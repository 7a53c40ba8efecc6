// Drives the samples' CounterAgent with Cloudflare's own AgentClient, as a browser or Node app
// written for a JavaScript agent would. Usage: node counter-agent.mjs HOST:PORT NAME
// Prints one JSON object of what it saw, for CounterAgentJsClientTest to check; every wait has
// a deadline, so a silent server makes this fail instead of hanging.
import { AgentClient } from "agents/client";
import WebSocket from "ws";

const [host, name] = process.argv.slice(2);
const seen = {};

function within(ms, what, promise) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)),
  ]);
}

function connect(label) {
  const updates = [];
  let onUpdate = () => {};
  const client = new AgentClient({
    agent: "CounterAgent",
    name,
    host,
    WebSocket,
    onStateUpdate: (state, source) => {
      updates.push({ state, source });
      onUpdate();
    },
  });
  client.nextServerState = (what) =>
    within(10000, `${label}: ${what}`, new Promise((resolve) => {
      const check = () => {
        const i = updates.findIndex((u) => u.source === "server");
        if (i >= 0) {
          onUpdate = () => {}; // later updates wait for the next call
          resolve(updates.splice(i, 1)[0].state);
        }
      };
      onUpdate = check;
      check();
    }));
  return client;
}

try {
  const ada = connect("ada");
  await within(10000, "ada.ready", ada.ready);
  seen.identity = { name: ada.name, agent: ada.agent, identified: ada.identified };
  seen.initialState = ada.state;
  await ada.nextServerState("the initial state as an update"); // the connect frame, already in ada.state

  const bob = connect("bob");
  await within(10000, "bob.ready", bob.ready);
  await bob.nextServerState("bob's initial state");
  seen.bobInitialState = bob.state;

  seen.incrementResult = await ada.call("increment", [2]);
  seen.adaStateAfterIncrement = await ada.nextServerState("ada's state after increment");
  seen.bobStateAfterIncrement = await bob.nextServerState("bob's state after ada's increment");
  seen.stubResult = await bob.stub.increment(3);
  seen.adaStateAfterStub = await ada.nextServerState("ada's state after bob's increment");
  seen.bobStateAfterStub = await bob.nextServerState("bob's state after his own increment");

  ada.setState({ count: 40 });
  seen.bobStateAfterClientSetState = await bob.nextServerState("bob's state after ada's setState");

  try {
    await ada.call("nope", []);
    seen.unknownMethodError = null;
  } catch (e) {
    seen.unknownMethodError = e.message;
  }
  try {
    await ada.call("onRequest", []);
    seen.notCallableError = null;
  } catch (e) {
    seen.notCallableError = e.message;
  }

  ada.close();
  bob.close();
  console.log(JSON.stringify({ ok: true, seen }));
  process.exit(0);
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e && e.stack || e), seen }));
  process.exit(1);
}
