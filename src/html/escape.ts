/**
 * Text as HTML: the one escaper of the project (the grader's feedback pages and tables, the plot
 * captions). All five characters are escaped, so the result is safe both between tags and inside a
 * quoted attribute value.
 */
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
