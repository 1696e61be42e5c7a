// Inside the widget's shadow root: the host page's CSS cannot break it, and it cannot break the host page.
export const STYLES = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.bubble { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%; border: none;
  background: #1d4ed8; color: #fff; font-size: 26px; cursor: pointer; box-shadow: 0 4px 12px rgba(0,0,0,.25); z-index: 2147483000; }
.panel { position: fixed; right: 20px; bottom: 88px; width: min(380px, calc(100vw - 40px)); height: min(560px, calc(100vh - 120px));
  background: #fff; color: #111827; border: 1px solid #d1d5db; border-radius: 12px; box-shadow: 0 8px 28px rgba(0,0,0,.25);
  display: flex; flex-direction: column; z-index: 2147483000; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; justify-content: space-between; padding: 10px 14px; border-bottom: 1px solid #e5e7eb; }
h2 { font-size: 16px; margin: 0; }
.close { background: none; border: none; font-size: 22px; cursor: pointer; color: #374151; }
.log { flex: 1; overflow-y: auto; list-style: none; margin: 0; padding: 10px 14px; display: flex; flex-direction: column; gap: 10px; }
.user { align-self: flex-end; background: #1d4ed8; color: #fff; padding: 6px 10px; border-radius: 10px; max-width: 85%; }
.bot { align-self: flex-start; background: #f3f4f6; padding: 6px 10px; border-radius: 10px; max-width: 95%; white-space: pre-wrap; }
.bot ol { margin: 6px 0 0; padding-left: 20px; font-size: 13px; }
.bot a { color: #1d4ed8; }
.bot details summary { cursor: pointer; color: #1d4ed8; text-decoration: underline; }
.bot blockquote { margin: 4px 0; color: #374151; }
.error { color: #b91c1c; }
.rate { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin-top: 6px; font-size: 13px; }
.rate button { background: #fff; color: #1f2937; border: 1px solid #6b7280; border-radius: 6px; padding: 3px 8px; font-size: 13px; cursor: pointer; }
.rate button[aria-pressed="true"] { background: #1d4ed8; color: #fff; border-color: #1d4ed8; }
.rate .note { color: #374151; }
.clear { margin-left: auto; margin-right: 8px; background: none; border: 1px solid #6b7280; border-radius: 6px; padding: 3px 8px; font-size: 13px; color: #1f2937; cursor: pointer; }
.handoff { padding: 8px 14px; border-top: 1px solid #e5e7eb; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.handoff[hidden] { display: none; }
form { display: flex; gap: 8px; padding: 10px 14px; border-top: 1px solid #e5e7eb; align-items: flex-end; }
label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
textarea { flex: 1; resize: none; font-size: 14px; padding: 6px; border: 1px solid #6b7280; border-radius: 6px; }
button.send, .handoff button, .handoff a { background: #1d4ed8; color: #fff; border: none; border-radius: 6px; padding: 7px 12px; font-size: 14px; cursor: pointer; text-decoration: none; }
:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
`;
