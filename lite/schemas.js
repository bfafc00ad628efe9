/**
 * build/schemas/all.json: every bundled extension's settings schemas, in the shape JupyterLite's
 * settings service reads (what its CompileSchemasPlugin writes).
 */
const fs = require("node:fs");
const path = require("node:path");

function writeSchemas(extensions, out) {
  const all = [];
  for (const name of extensions) {
    const pkgFile = require.resolve(`${name}/package.json`);
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
    const dir = pkg.jupyterlab?.schemaDir;
    if (!dir || !fs.existsSync(path.join(path.dirname(pkgFile), dir))) continue;
    const folder = path.join(path.dirname(pkgFile), dir);
    for (const file of fs.readdirSync(folder).filter((f) => f.endsWith(".json")).sort()) {
      const schema = JSON.parse(fs.readFileSync(path.join(folder, file), "utf8"));
      all.push({ id: `${name}:${file.slice(0, -5)}`, raw: "{}", schema, settings: {}, version: pkg.version });
    }
  }
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "all.json"), JSON.stringify(all));
  // No federated extensions: the settings service asks for their schemas all the same.
  fs.writeFileSync(path.join(out, "all_federated.json"), "[]");
  return all.length;
}

module.exports = { writeSchemas };
