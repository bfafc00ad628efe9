/** What animated figures share: the Play button and the frame slider, and how a cell's value is labelled. */

/** The Play button and the slider of an animated figure; `frameMs` is how long Play shows each frame. */
export function playControls(t: { play: string; step: string }, frames: { name: string }[], frameMs: number): Record<string, unknown> {
  return {
    updatemenus: [
      {
        type: "buttons",
        showactive: false,
        x: 0,
        y: -0.12,
        xanchor: "left",
        buttons: [{ label: t.play, method: "animate", args: [null, { frame: { duration: frameMs, redraw: true }, fromcurrent: true }] }],
      },
    ],
    sliders: [
      {
        x: 0.12,
        y: -0.08,
        len: 0.88,
        currentvalue: { prefix: t.step },
        steps: frames.map((f) => ({ label: f.name, method: "animate", args: [[f.name], { mode: "immediate", frame: { duration: 0, redraw: true } }] })),
      },
    ],
  };
}

/** A cell's label: integers as they are, other values to two decimals. */
export function cellLabel(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}
