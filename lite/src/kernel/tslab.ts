/**
 * The `tslab` module as cells and the d2l-pooling module see it inside the browser kernel:
 * `tslab.display.html(...)` and friends, and `tslab.newDisplay()` for output updated in place
 * (the grade table). Each call becomes a display_data message (one MIME type per call, as in tslab).
 */
export interface Display {
  javascript(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
  latex(s: string): void;
  svg(s: string): void;
  png(b: Uint8Array): void;
  jpeg(b: Uint8Array): void;
  gif(b: Uint8Array): void;
  pdf(b: Uint8Array): void;
  text(s: string): void;
  raw(contentType: string, b: string | Uint8Array): void;
}

type Sink = (data: Record<string, string>, displayId?: string, update?: boolean) => void;
let sink: Sink = () => {};

/** Where displays go: set by the worker for each cell. */
export function setDisplaySink(s: Sink): void {
  sink = s;
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

let displays = 0;

function makeDisplay(displayId?: string): Display {
  let shown = false;
  const send = (type: string, value: string | Uint8Array) => {
    const data = { [type]: typeof value === "string" ? value : base64(value) };
    sink(data, displayId, displayId !== undefined && shown);
    shown = true;
  };
  return {
    javascript: (s) => send("application/javascript", s),
    html: (s) => send("text/html", s),
    markdown: (s) => send("text/markdown", s),
    latex: (s) => send("text/latex", s),
    svg: (s) => send("image/svg+xml", s),
    png: (b) => send("image/png", b),
    jpeg: (b) => send("image/jpeg", b),
    gif: (b) => send("image/gif", b),
    pdf: (b) => send("application/pdf", b),
    text: (s) => send("text/plain", s),
    raw: (type, b) => send(type, b),
  };
}

export const display: Display = makeDisplay();

/** A display that later calls replace in place (update_display_data). */
export function newDisplay(): Display {
  return makeDisplay(`d2l-display-${++displays}`);
}

export default { display, newDisplay };
