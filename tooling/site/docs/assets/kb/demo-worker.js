/* The demo runner's Web Worker: Pyodide runs here, never on the page's thread, so a long or
   endless demo cannot freeze the page. Messages in: {type: "init", runtime, interrupt},
   {type: "preload", code} (load and import the packages a demo imports, before its Run) and
   {type: "run", id, code, before}; out: status lines, ready/failed, output chunks, done (with
   the seconds the Python took). A traceback shows the demo's failing line, as at build time. */
"use strict";

let pyodide = null;
let running = null; // id of the run in progress
let quiet = false; // output of a session's earlier blocks is not shown
let remember = null; // our own Python helpers (TOOLS), in a namespace of their own
let importPackages = null;

const TOOLS = `
import importlib, linecache, sys
from pyodide.code import find_imports

def remember(name, code):
    """The demo's source for tracebacks, as the build's runner keeps it."""
    linecache.cache[name] = (len(code), None, code.splitlines(True), name)

def import_packages(code, loaded):
    """Import ahead the packages (numpy...) the code imports; never the standard library,
    whose first import may print (this) and must happen in the demo's own run."""
    for name in find_imports(code):
        top = name.split(".")[0]
        if top in loaded and top not in sys.modules:
            try:
                importlib.import_module(top)
            except Exception:
                pass  # the demo's own run reports it
`;

function post(message) {
  self.postMessage(message);
}

function sink(stream) {
  const decoder = new TextDecoder();
  return {
    write(buffer) {
      const text = decoder.decode(buffer, { stream: true });
      if (text && !quiet && running !== null) post({ type: "output", id: running, stream, text });
      return buffer.length;
    },
  };
}

// The traceback without Pyodide's own frames: from the demo's first frame on.
function tidy(message) {
  const lines = String(message).split("\n");
  const first = lines.findIndex((line) => line.includes('File "<demo'));
  if (lines[0].startsWith("Traceback") && first > 1) {
    return [lines[0], ...lines.slice(first)].join("\n").trimEnd();
  }
  return lines.join("\n").trimEnd();
}

async function init(message) {
  try {
    post({ type: "status", text: "Loading Python (first run only)…" });
    importScripts(message.runtime + "pyodide.js");
    pyodide = await self.loadPyodide({ indexURL: message.runtime });
    if (message.interrupt) pyodide.setInterruptBuffer(new Uint8Array(message.interrupt));
    pyodide.setStdout(sink("stdout"));
    pyodide.setStderr(sink("stderr"));
    const tools = pyodide.globals.get("dict")();
    pyodide.runPython(TOOLS, { globals: tools });
    remember = tools.get("remember");
    importPackages = tools.get("import_packages");
    post({ type: "ready" });
  } catch (error) {
    post({ type: "failed", error: String((error && error.message) || error) });
  }
}

async function preload(message) {
  try {
    await pyodide.loadPackagesFromImports(message.code, { messageCallback: () => {}, errorCallback: () => {} });
    const loaded = pyodide.toPy(Object.keys(pyodide.loadedPackages));
    try { importPackages(message.code, loaded); } finally { loaded.destroy(); }
  } catch (error) {
    // The Run that follows loads the same packages and reports what fails.
  }
}

async function run(message) {
  running = message.id;
  const namespace = pyodide.globals.get("dict")();
  let error = null;
  let started = null;
  try {
    const all = [...message.before, message.code].join("\n");
    await pyodide.loadPackagesFromImports(all, {
      messageCallback: (text) => post({ type: "status", text }),
      errorCallback: (text) => post({ type: "status", text }),
    });
    quiet = true;
    started = performance.now(); // the Python itself: what a Run costs beyond the runner
    for (const [index, code] of message.before.entries()) {
      remember(`<demo ${index + 1}>`, code);
      pyodide.runPython(code, { globals: namespace, filename: `<demo ${index + 1}>` });
    }
    quiet = false;
    remember("<demo>", message.code);
    // Synchronous on purpose: the worker has nothing else to do, and a KeyboardInterrupt from
    // Stop comes back here as an error instead of escaping through the asyncio event loop.
    pyodide.runPython(message.code, { globals: namespace, filename: "<demo>" });
  } catch (failure) {
    error = tidy((failure && failure.message) || failure);
  } finally {
    quiet = false;
    namespace.destroy();
  }
  const interrupted = error !== null && /KeyboardInterrupt\s*$/.test(error);
  running = null;
  const seconds = started === null ? null : (performance.now() - started) / 1000;
  post({ type: "done", id: message.id, error, interrupted, seconds });
}

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "init") init(message);
  else if (message.type === "preload") preload(message);
  else if (message.type === "run") run(message);
};
