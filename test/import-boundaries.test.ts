import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/*
 * The layers of src/ (ARCHITECTURE.md), lowest first. A file may import its own layer and any layer below,
 * never one above: the domain knows nothing of storage or HTTP; the policy table and the actor are pure
 * rules over domain roles, so the store may authorise with them; a read (query) never depends on a write
 * (command); and only the web and the command line face the outside. Every import counts, type-only ones
 * too, because a type import is still a reason to read the other file first.
 */
const LAYERS: readonly { name: string; paths: readonly string[] }[] = [
  { name: "foundation", paths: ["src/i18n/", "src/types/", "src/config.ts", "src/log.ts"] },
  { name: "domain", paths: ["src/domain/"] },
  { name: "policies", paths: ["src/policies/"] },
  { name: "adapters", paths: ["src/store/", "src/crypto/", "src/mail/", "src/pdf/"] },
  { name: "queries", paths: ["src/queries/"] },
  { name: "commands", paths: ["src/commands/"] },
  { name: "interfaces", paths: ["src/web/", "src/cli/", "src/cli.ts"] },
];

const root = path.resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

/** Every relative import, export-from and dynamic import of a file, resolved to a path under the root. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(path.join(root, file), "utf8"), true, true);
  return info.importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), name));
      if (fs.existsSync(path.join(root, target))) return target;
      const tsx = target.replace(/\.js$/, ".tsx");
      return fs.existsSync(path.join(root, tsx)) ? tsx : target.replace(/\.js$/, ".ts");
    });
}

function layerOf(file: string): number {
  const index = LAYERS.findIndex((layer) => layer.paths.some((p) => file === p || file.startsWith(p)));
  if (index < 0) throw new Error(`${file} belongs to no layer: add its folder to LAYERS`);
  return index;
}

/** The import graph's strongly connected components of more than one file (Tarjan), each a circle. */
function circles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) as number, index.get(next) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

const files = ["src"]
  .flatMap(sourceFiles)
  .filter((file) => !file.endsWith(".d.ts") || file.startsWith("src/types/"));
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe("import boundaries", () => {
  it("no file imports a layer above its own", () => {
    const upward = [...graph].flatMap(([file, imports]) =>
      imports
        .filter((target) => target.startsWith("src/") && layerOf(target) > layerOf(file))
        .map(
          (target) =>
            `${file} (${LAYERS[layerOf(file)]?.name}) imports ${target} (${LAYERS[layerOf(target)]?.name})`,
        ),
    );
    expect(upward).toEqual([]);
  });

  it("views, forms and HTTP helpers never import route modules, and routes are not each other's libraries", () => {
    const routes = "src/web/routes/";
    const misplaced = [...graph].flatMap(([file, imports]) =>
      imports
        .filter((target) => target.startsWith(routes))
        .filter((target) => {
          if (!file.startsWith("src/web/")) return true;
          if (file === "src/web/app.ts") return target !== `${routes}index.ts`;
          if (!file.startsWith(routes)) return true;
          // A route folder's index registers the modules below it; nothing else reaches into a route file.
          return !file.endsWith("/index.ts");
        })
        .map((target) => `${file} imports ${target}`),
    );
    expect(misplaced).toEqual([]);
  });

  it("no src files import each other in a circle", () => {
    expect(circles(graph)).toEqual([]);
  });

  it("the checks see the real graph (a circle and an upward import are caught)", () => {
    expect(
      circles(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", ["a"]],
          ["d", ["a"]],
        ]),
      ),
    ).toEqual([["a", "b", "c"]]);
    expect(layerOf("src/domain/app-error.ts")).toBeLessThan(layerOf("src/store/schema.ts"));
    expect(graph.get("src/web/app.ts")).toContain("src/web/routes/index.ts");
    expect(graph.size).toBeGreaterThan(200);
  });
});
