// The chat widget: `<script src="https://engine.example/widget.js" data-key="…" async></script>` adds a chat bubble
// that asks POST /answer (streamed), shows citations, keeps the conversation for follow-ups, and offers a hand-off to a
// person when an answer says `escalate`, lets visitors rate answers (POST /feedback), and keeps the conversation across
// the site's page loads (sessionStorage). No framework: one small script a help site can afford to load.
import type { Answer, Citation, HistoryTurn } from "../../src/domain/answer.js";
import { readConfig, type WidgetConfig } from "./config.js";
import { loadConversation, savedAnswer, saveConversation, storageKey, type SavedAnswer, type SavedExchange } from "./persist.js";
import { readEvents } from "./sse.js";
import { STYLES } from "./styles.js";
import { fill, widgetText, type WidgetText } from "./text.js";

/** The detail of the `groundline:handoff` event dispatched on `document`. */
export interface HandoffDetail {
  transcript: HistoryTurn[];
  escalationReasons: string[];
  answerId: string;
}

/** POST /answer takes at most 20 history turns (user and assistant each count): the last 10 exchanges. */
const MAX_HISTORY_TURNS = 20;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function citationNode(c: Citation): HTMLLIElement {
  const li = el("li", { value: String(c.n), "data-citation": String(c.n) });
  const page = c.pageLabel ?? (c.page !== undefined ? String(c.page) : undefined);
  const label = `${c.title}${c.sectionPath.length > 0 ? ` — ${c.sectionPath.join(" › ")}` : ""}${page ? `, p. ${page}` : ""}`;
  if (c.url) {
    li.append(el("a", { href: c.url, target: "_blank", rel: "noopener noreferrer" }, label));
  } else {
    const details = el("details");
    details.append(el("summary", {}, label), el("blockquote", {}, c.snippet));
    li.append(details);
  }
  return li;
}

class Widget {
  private readonly root: ShadowRoot;
  private readonly bubble: HTMLButtonElement;
  private readonly panel: HTMLDivElement;
  private readonly log: HTMLOListElement;
  private readonly handoff: HTMLDivElement;
  private readonly input: HTMLTextAreaElement;
  private readonly history: HistoryTurn[];
  private readonly exchanges: SavedExchange[];
  private readonly storage: string;
  private busy = false;
  private readonly text: WidgetText;

  constructor(private readonly config: WidgetConfig) {
    const tx = (this.text = widgetText(config.lang));
    this.storage = storageKey(config.api, config.collections);
    const saved = loadConversation(this.storage);
    this.history = saved.history;
    this.exchanges = saved.exchanges;
    const host = el("div", { id: "groundline-widget" });
    this.root = host.attachShadow({ mode: "open" });
    const style = el("style", {}, STYLES);
    this.bubble = el("button", { class: "bubble", type: "button", "aria-label": fill(tx.open, { title: config.title }), "aria-expanded": "false", "aria-controls": "gl-panel" });
    // A speech-bubble icon drawn inline (no emoji font or image request needed).
    this.bubble.innerHTML = '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';
    this.panel = el("div", { class: "panel", id: "gl-panel", role: "region", "aria-label": config.title, hidden: "" });
    const header = el("header");
    const close = el("button", { class: "close", type: "button", "aria-label": tx.close }, "×");
    const clear = el("button", { class: "clear", type: "button" }, tx.clear);
    header.append(el("h2", {}, config.title), clear, close);
    this.log = el("ol", { class: "log", "aria-live": "polite", "aria-label": tx.conversation });
    this.handoff = el("div", { class: "handoff", hidden: "" });
    const form = el("form");
    this.input = el("textarea", { id: "gl-question", rows: "2" });
    form.append(el("label", { for: "gl-question" }, tx.question), this.input, el("button", { class: "send", type: "submit" }, tx.send));
    this.panel.append(header, this.log, this.handoff, form);
    this.root.append(style, this.bubble, this.panel);
    document.body.append(host);

    this.bubble.addEventListener("click", () => this.toggle());
    close.addEventListener("click", () => this.toggle(false));
    clear.addEventListener("click", () => this.clear());
    this.panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.toggle(false);
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.ask(this.input.value);
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        void this.ask(this.input.value);
      }
    });
    this.restore(saved.open);
  }

  /** Shows the conversation kept from earlier pages; reopens the panel (without taking focus) if it was open. */
  private restore(open: boolean): void {
    for (const exchange of this.exchanges) {
      this.log.append(el("li", { class: "user" }, exchange.question));
      const reply = el("li", { class: exchange.error ? "bot error" : "bot" }, exchange.error ?? "");
      this.log.append(reply);
      if (exchange.answer) this.render(reply, exchange.answer, exchange, false);
    }
    if (open) {
      this.panel.hidden = false;
      this.bubble.setAttribute("aria-expanded", "true");
      this.log.scrollTop = this.log.scrollHeight;
    }
  }

  private save(): void {
    saveConversation(this.storage, { exchanges: this.exchanges, history: this.history, open: !this.panel.hidden });
  }

  private clear(): void {
    this.exchanges.length = 0;
    this.history.length = 0;
    this.log.replaceChildren();
    this.handoff.hidden = true;
    this.save();
    this.input.focus();
  }

  toggle(open = this.panel.hidden): void {
    this.panel.hidden = !open;
    this.bubble.setAttribute("aria-expanded", String(open));
    (open ? this.input : this.bubble).focus();
    this.save();
  }

  async ask(raw: string): Promise<void> {
    const question = raw.trim();
    if (!question || this.busy) return;
    this.busy = true;
    this.input.value = "";
    this.handoff.hidden = true;
    this.log.append(el("li", { class: "user" }, question));
    const reply = el("li", { class: "bot", "aria-busy": "true" }, "…");
    this.log.append(reply);
    const exchange: SavedExchange = { question };
    this.exchanges.push(exchange);
    try {
      const answer = await this.stream(question, reply);
      this.history.push({ role: "user", content: question }, { role: "assistant", content: answer.answer });
      this.history.splice(0, Math.max(0, this.history.length - MAX_HISTORY_TURNS));
      exchange.answer = savedAnswer(answer);
      this.render(reply, exchange.answer, exchange, true);
    } catch (err) {
      reply.textContent = exchange.error = err instanceof Error ? err.message : String(err);
      reply.classList.add("error");
    } finally {
      reply.removeAttribute("aria-busy");
      this.busy = false;
      this.log.scrollTop = this.log.scrollHeight;
      this.save();
    }
  }

  private async stream(question: string, reply: HTMLElement): Promise<Answer> {
    const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
    if (this.config.key) headers["authorization"] = `Bearer ${this.config.key}`;
    const body = {
      question,
      stream: true,
      ...(this.history.length > 0 ? { history: this.history } : {}),
      ...(this.config.collections ? { filters: { collections: this.config.collections } } : {}),
    };
    // A refused origin (CORS_ORIGINS) or a network failure: the browser gives no details.
    const res = await fetch(`${this.config.api}/answer`, { method: "POST", headers, body: JSON.stringify(body) }).catch(() => {
      throw new Error(this.text.unreachable);
    });
    if (!res.ok || !res.body) throw new Error(await problemText(res, this.text));
    let text = "";
    for await (const ev of readEvents(res.body)) {
      if (ev.event === "token") {
        text += (JSON.parse(ev.data) as { delta: string }).delta;
        reply.textContent = text;
      } else if (ev.event === "answer") return JSON.parse(ev.data) as Answer;
      else if (ev.event === "error") throw new Error(fill(this.text.failed, { detail: (JSON.parse(ev.data) as { detail?: string }).detail ?? "error" }));
    }
    throw new Error(this.text.cutOff);
  }

  private render(reply: HTMLElement, answer: SavedAnswer, exchange: SavedExchange, fresh: boolean): void {
    reply.textContent = answer.answer;
    reply.dataset["answerId"] = answer.id;
    if (answer.citations.length > 0) {
      const list = el("ol", { "aria-label": this.text.sources });
      list.append(...answer.citations.map(citationNode));
      reply.append(list);
    }
    reply.append(this.ratingButtons(answer.id, exchange));
    if (answer.escalate && fresh) this.offerHandoff(answer);
  }

  /** Thumbs up/down: POST /feedback with the answer's id (a widget key may rate the answers it was served). */
  private ratingButtons(answerId: string, exchange: SavedExchange): HTMLElement {
    const tx = this.text;
    const group = el("div", { class: "rate", role: "group", "aria-label": tx.rate });
    const note = el("span", { class: "note", role: "status" });
    const buttons = (["up", "down"] as const).map((rating) => {
      const button = el("button", { type: "button", "aria-pressed": String(exchange.rating === rating), "data-rating": rating });
      button.append(el("span", { "aria-hidden": "true" }, rating === "up" ? "▲ " : "▼ "), rating === "up" ? tx.helpful : tx.notHelpful);
      button.addEventListener("click", () => void this.rate(answerId, rating, exchange, buttons, note));
      return button;
    });
    group.append(...buttons, note);
    return group;
  }

  private async rate(answerId: string, rating: "up" | "down", exchange: SavedExchange, buttons: HTMLButtonElement[], note: HTMLElement): Promise<void> {
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (this.config.key) headers["authorization"] = `Bearer ${this.config.key}`;
    const res = await fetch(`${this.config.api}/feedback`, { method: "POST", headers, body: JSON.stringify({ answerId, rating }) }).catch(() => undefined);
    if (!res?.ok) {
      note.textContent = this.text.rateFailed;
      return;
    }
    exchange.rating = rating;
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset["rating"] === rating));
    note.textContent = this.text.thanks;
    this.save();
  }

  private offerHandoff(answer: SavedAnswer): void {
    const { handoffUrl, handoffEmail, handoffEvent } = this.config;
    if (!handoffUrl && !handoffEmail && !handoffEvent) return;
    const tx = this.text;
    this.handoff.replaceChildren(el("span", {}, tx.handoffPrompt));
    const transcript = this.history.map((t) => `${t.role === "user" ? tx.customer : tx.assistant}: ${t.content}`).join("\n\n");
    if (handoffUrl) this.handoff.append(el("a", { href: handoffUrl, target: "_blank", rel: "noopener noreferrer" }, tx.contact));
    if (handoffEmail) {
      const href = `mailto:${handoffEmail}?subject=${encodeURIComponent(tx.mailSubject)}&body=${encodeURIComponent(transcript)}`;
      this.handoff.append(el("a", { href }, tx.email));
    }
    if (handoffEvent) {
      const button = el("button", { type: "button" }, tx.person);
      button.addEventListener("click", () => {
        const detail: HandoffDetail = { transcript: [...this.history], escalationReasons: [...answer.escalationReasons], answerId: answer.id };
        document.dispatchEvent(new CustomEvent<HandoffDetail>("groundline:handoff", { detail, bubbles: true }));
      });
      this.handoff.append(button);
    }
    this.handoff.hidden = false;
  }
}

async function problemText(res: Response, tx: WidgetText): Promise<string> {
  if (res.status === 429) return fill(tx.tooMany, { s: res.headers.get("retry-after") ?? "60" });
  try {
    const p = (await res.json()) as { detail?: string };
    return fill(tx.refused, { detail: `${res.status}${p.detail ? `: ${p.detail}` : ""}` });
  } catch {
    return fill(tx.unavailable, { status: res.status });
  }
}

const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;
const config = readConfig(script);
const start = (): void => void new Widget(config);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
