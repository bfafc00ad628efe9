/** node:util in the kernel's worker: Node's own inspect and format, extracted for browsers. */
import { format, formatWithOptions, inspect } from "node-inspect-extracted";
export { format, formatWithOptions, inspect };
export default { format, formatWithOptions, inspect };
