/* Runnable demos: Run / Edit / Reset / Stop on each `.kb-demo` block of the page.

   The build-time output shows first, labelled as such; a run's output replaces it, labelled as
   this run's, once the run has something to show (while Python loads, the build's stays). The
   buttons sit between the code and the output, and nothing moves them: Stop has its place kept
   while hidden, the editor takes the code's height. Python (Pyodide, served by the site itself
   from assets/vendor/pyodide/) runs in a Web Worker; it starts loading when the pointer nears
   Run or Edit or one of them gets the focus (never on a connection asking to save data), so a
   first Run rarely waits for it. Output is inserted as text, never as HTML. Edits are kept in
   localStorage and marked as edits. Stop interrupts Python through a shared buffer when the page
   is cross-origin isolated (`kb serve`), else restarts the worker. Loaded only by pages that
   have a demo. */
(function () {
  "use strict";

  const here = new URL(".", document.currentScript.src);
  const RUNTIME = new URL("../vendor/pyodide/", here).href;
  const WORKER = new URL("demo-worker.js", here).href;
  const STORE = "kb-demo:" + location.pathname + ":";
  const STOP_GRACE_MS = 1500; // after Stop, how long Python may take to notice before a restart
  const STOP_TRIES = 3; // graces for code that catches KeyboardInterrupt and carries on
  // How close to the buttons the pointer comes before Python starts loading: a pointer that far
  // away takes about half a second to reach a button (Fitts's law), time the loading gets ahead.
  const NEAR_PX = 240;

  const MESSAGES = {
    file: "Run needs the site served over HTTP: browsers do not let a page opened from a file " +
      "load the Python runtime. Run `kb serve` (or `python -m http.server -d site`) and open " +
      "http://127.0.0.1:8000/. The output below is from the build.",
    missing: "Run needs the Python runtime, which this site was built without. Fetch it once " +
      "with `python -m tooling.site.vendor pyodide` and build again. The output below is from " +
      "the build.",
    failed: "Python could not start in this browser: ",
  };

  function savingData() {
    return Boolean(navigator.connection && navigator.connection.saveData);
  }

  /* One worker for the page's demos; runs one demo at a time. */
  const engine = {
    worker: null,
    ready: null,
    interrupt: null,
    current: null, // {id, handlers, resolve, reject}
    listener: () => {}, // where status lines go while no run is in progress
    nextId: 1,

    start() {
      if (this.ready) return this.ready;
      this.interrupt = self.crossOriginIsolated && typeof SharedArrayBuffer === "function"
        ? new Uint8Array(new SharedArrayBuffer(1)) : null;
      this.ready = this.check().then(() => new Promise((resolve, reject) => {
        this.bootReject = reject;
        const worker = new Worker(WORKER);
        this.worker = worker;
        worker.onmessage = (event) => this.receive(event.data, resolve, reject);
        worker.onerror = (event) => reject(new Error(event.message || "the worker failed"));
        worker.postMessage({ type: "init", runtime: RUNTIME,
          interrupt: this.interrupt ? this.interrupt.buffer : null });
      }));
      this.ready.catch(() => { this.ready = null; });
      return this.ready;
    },

    /* Load Python and the packages `code` imports ahead of a Run; quietly, and not at all on a
       connection that asks to save data or when the runtime is missing. */
    warm(code) {
      if (savingData() || location.protocol === "file:" || this.warmed === code) return;
      this.warmed = code;
      this.start().then(() => {
        if (this.worker) this.worker.postMessage({ type: "preload", code });
      }, () => {});
    },

    async check() {
      if (this.checked) return this.checked;
      const response = await fetch(RUNTIME + "pyodide.js", { method: "HEAD", cache: "no-store" })
        .catch(() => null);
      if (!response || !response.ok) throw Object.assign(new Error("missing"), { missing: true });
      this.checked = true;
      return true;
    },

    receive(message, resolve, reject) {
      const run = this.current;
      if (message.type === "status") (run ? run.handlers.status : this.listener)(message.text);
      else if (message.type === "ready") resolve();
      else if (message.type === "failed") reject(new Error(message.error));
      else if (run && message.id === run.id && message.type === "output") {
        run.handlers.output(message.stream, message.text);
      } else if (run && message.id === run.id && message.type === "done") {
        this.current = null;
        clearTimeout(run.timer);
        run.resolve(message);
      }
    },

    run(code, before, handlers) {
      return new Promise((resolve, reject) => {
        const id = this.nextId++;
        this.current = { id, handlers, resolve, reject, timer: null };
        if (this.interrupt) this.interrupt[0] = 0;
        this.worker.postMessage({ type: "run", id, code, before });
      });
    },

    stop() {
      const run = this.current;
      if (!run) {
        if (this.worker) { // still booting: give up the boot
          this.restart();
          this.bootReject(Object.assign(new Error("stopped"), { stopped: true }));
        }
        return;
      }
      if (this.interrupt) {
        this.interrupt[0] = 2; // SIGINT: Python raises KeyboardInterrupt at its next check
        run.tries = 1;
        run.timer = setTimeout(() => this.stopped(run), STOP_GRACE_MS);
      } else {
        this.restart();
      }
    },

    /* A grace after Stop has passed. Python clears the buffer when it sees the interrupt: still
       set, Python never looked (a long call in C) and only a restart ends it. Cleared, its
       answer is on the way (on a busy machine the timer can fire before that message is
       handled, which once restarted a worker that had stopped), unless the demo caught the
       KeyboardInterrupt: interrupt again, a few times, then restart. */
    stopped(run) {
      if (this.current !== run) return;
      if (this.interrupt[0] !== 0 || run.tries >= STOP_TRIES) {
        this.restart();
        return;
      }
      run.tries += 1;
      this.interrupt[0] = 2;
      run.timer = setTimeout(() => this.stopped(run), STOP_GRACE_MS);
    },

    restart() {
      // Without cross-origin isolation there is no way into a busy worker: end it.
      const run = this.current;
      this.current = null;
      if (this.worker) this.worker.terminate();
      this.worker = null;
      this.ready = null;
      this.warmed = null;
      if (run) run.resolve({ id: run.id, error: null, interrupted: true });
    },
  };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  class Demo {
    constructor(root, index) {
      this.root = root;
      this.key = STORE + index;
      this.session = root.dataset.kbSession || null;
      this.bar = root.querySelector(".kb-demo-bar");
      this.built = root.querySelector('[data-kb-output="build"]');
      this.view = [...root.children].find((n) => n !== this.bar && n !== this.built);
      const code = this.view ? this.view.querySelector("code") : null;
      this.original = code ? code.textContent.replace(/\n$/, "") : "";
      this.editor = null;
      this.live = null;
      this.edited = element("span", "kb-demo-edited", "edited");
      this.edited.title = "Your edit, kept in this browser; Reset restores the demo";
      const title = this.bar.querySelector(".kb-demo-title");
      if (title) title.append(this.edited);
      this.message = element("p", "kb-demo-message");
      this.message.setAttribute("role", "status");
      this.message.hidden = true;
      root.insertBefore(this.message, this.built);
      this.buttons = {};
      const actions = element("span", "kb-demo-actions");
      for (const [action, label] of [["run", "Run"], ["edit", "Edit"], ["reset", "Reset"],
                                     ["stop", "Stop"]]) {
        const button = element("button", "kb-demo-button md-button", label);
        button.type = "button";
        button.dataset.kbAction = action;
        button.addEventListener("click", () => this[action]());
        actions.append(button);
        this.buttons[action] = button;
      }
      this.bar.append(actions);
      this.setRunning(false);
      for (const action of ["run", "edit"]) {
        this.buttons[action].addEventListener("focus", () => this.warm());
      }
      let saved = null;
      try { saved = localStorage.getItem(this.key); } catch (error) { saved = null; }
      if (saved !== null && saved !== this.original) this.openEditor(saved, false);
      this.refresh();
    }

    code() {
      return this.editor ? this.editor.value : this.original;
    }

    /* The pointer within NEAR_PX of the buttons: a Run or an Edit may follow. */
    near(event) {
      const box = this.bar.getBoundingClientRect();
      const dx = Math.max(box.left - event.clientX, 0, event.clientX - box.right);
      const dy = Math.max(box.top - event.clientY, 0, event.clientY - box.bottom);
      if (Math.hypot(dx, dy) < NEAR_PX) this.warm();
    }

    warm() {
      if (!this.running) engine.warm([...this.before(), this.code()].join("\n"));
    }

    refresh() {
      this.buttons.reset.disabled = !this.editor && !this.live;
      this.buttons.edit.disabled = Boolean(this.editor);
      const edited = Boolean(this.editor) && this.editor.value !== this.original;
      this.edited.classList.toggle("kb-demo-edited-on", edited);
      this.root.toggleAttribute("data-kb-edited", edited);
    }

    say(text) {
      this.message.textContent = text;
      this.message.hidden = !text;
    }

    edit() {
      this.openEditor(this.code(), true);
    }

    openEditor(code, focus) {
      if (!this.editor) {
        const editor = element("textarea", "kb-demo-editor");
        editor.spellcheck = false;
        editor.setAttribute("aria-label", "Demo code (Tab indents; Esc, then Tab, leaves)");
        editor.addEventListener("keydown", (event) => this.onKey(event));
        editor.addEventListener("input", () => { this.save(); this.refresh(); });
        // As tall as the code it replaces, margins included, so the buttons below stay where
        // the pointer is.
        const top = this.bar.getBoundingClientRect().top;
        editor.style.height = this.view.getBoundingClientRect().height + "px";
        this.view.after(editor);
        this.view.hidden = true;
        const moved = this.bar.getBoundingClientRect().top - top;
        editor.style.height = Math.max(48, parseFloat(editor.style.height) - moved) + "px";
        this.editor = editor;
      }
      this.editor.value = code;
      if (focus) this.editor.focus();
      this.refresh();
    }

    onKey(event) {
      const editor = this.editor;
      if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.altKey &&
          !event.metaKey && !editor.dataset.leaving) {
        event.preventDefault();
        editor.setRangeText("    ", editor.selectionStart, editor.selectionEnd, "end");
        this.save();
        this.refresh();
      } else if (event.key === "Escape") {
        editor.dataset.leaving = "1"; // the next Tab moves focus on, as usual
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.run();
      } else {
        delete editor.dataset.leaving;
      }
    }

    save() {
      try { localStorage.setItem(this.key, this.editor.value); } catch (error) { /* private mode */ }
    }

    reset() {
      this.stop();
      try { localStorage.removeItem(this.key); } catch (error) { /* nothing stored */ }
      if (this.editor) this.editor.remove();
      this.editor = null;
      this.view.hidden = false;
      this.showBuilt();
      this.say("");
      this.refresh();
    }

    showBuilt() {
      if (this.live) this.live.remove();
      this.live = null;
      this.built.hidden = false;
    }

    stop() {
      if (!this.running) return;
      if (this.out) this.out.status("Stopping…");
      engine.stop();
    }

    before() {
      if (!this.session) return [];
      const earlier = [];
      for (const demo of demos) {
        if (demo === this) break;
        if (demo.session === this.session) earlier.push(demo.code());
      }
      return earlier;
    }

    setRunning(running) {
      this.running = running;
      // Hidden by visibility: Stop keeps its place, so showing it moves no other button.
      this.buttons.stop.classList.toggle("kb-demo-idle", !running);
      this.buttons.stop.disabled = !running;
      for (const demo of demos) demo.buttons.run.disabled = running;
    }

    /* This run's output box, above the build's, which stays until the run shows something. */
    output() {
      if (this.live) this.live.remove();
      const live = element("div", "kb-demo-output");
      live.dataset.kbOutput = "live";
      live.setAttribute("aria-live", "polite");
      live.append(element("p", "kb-demo-source", "This run"));
      const status = element("p", "kb-demo-status", "Running…");
      live.append(status);
      this.built.before(live);
      this.live = live;
      const built = this.built;
      const streams = {};
      return {
        status(text) { status.textContent = text; },
        write(stream, text) {
          built.hidden = true;
          if (!streams[stream]) {
            const box = element("div", `kb-demo-stream kb-demo-${stream}`);
            box.append(element("div", "kb-demo-label",
              stream === "stdout" ? "Output" : "Standard error"));
            const pre = element("pre");
            pre.append(element("code"));
            box.append(pre);
            status.before(box);
            streams[stream] = box.querySelector("code");
          }
          streams[stream].append(document.createTextNode(text));
        },
        finish(result) {
          built.hidden = true;
          status.remove();
          if (typeof result.seconds === "number") live.dataset.kbSeconds = result.seconds.toFixed(3);
          if (result.interrupted) {
            live.append(element("p", "kb-demo-note", "Stopped."));
          } else if (result.error) {
            const box = element("div", "kb-demo-error");
            box.setAttribute("role", "alert");
            box.append(element("div", "kb-demo-label", "Error"), element("pre", "", result.error));
            live.append(box);
          } else if (!Object.keys(streams).length) {
            live.append(element("p", "kb-demo-note", "The demo printed nothing."));
          }
        },
      };
    }

    async run() {
      if (this.running || demos.some((demo) => demo.running)) return;
      if (location.protocol === "file:") return this.say(MESSAGES.file);
      this.say("");
      this.setRunning(true);
      this.refresh();
      const out = this.output();
      this.out = out;
      this.buttons.reset.disabled = false;
      engine.listener = (text) => out.status(text);
      try {
        await engine.start();
        out.status("Running…");
        const result = await engine.run(this.code(), this.before(), {
          status: (text) => out.status(text),
          output: (stream, text) => out.write(stream, text),
        });
        out.finish(result);
      } catch (error) {
        if (error.stopped) {
          out.finish({ interrupted: true });
        } else {
          this.showBuilt();
          this.say(error.missing ? MESSAGES.missing : MESSAGES.failed + error.message);
        }
      } finally {
        engine.listener = () => {};
        this.setRunning(false);
        this.refresh();
      }
    }
  }

  const demos = [];
  document.querySelectorAll(".kb-demo").forEach((root, index) => demos.push(new Demo(root, index)));
  if (demos.length && !savingData()) {
    const watch = (event) => {
      if (engine.ready) return; // loading or loaded: nothing more to start
      for (const demo of demos) demo.near(event);
    };
    document.addEventListener("pointermove", watch, { passive: true });
  }
})();
