import { expect, it } from "vitest";
import { fullGarbageCollection } from "./garbage-collection.ts";

it("collects an object nothing refers to any more, without a flag on the command line", async () => {
  const collect = fullGarbageCollection();
  const unreferenced = (() => new WeakRef({ rows: Array.from({ length: 1000 }, (_, i) => `row ${i}`) }))();
  const referenced = { rows: ["kept"] };
  const stillReferenced = new WeakRef(referenced);
  // A WeakRef's target is kept until the current job ends.
  await new Promise((resolve) => setImmediate(resolve));
  collect();
  expect(unreferenced.deref()).toBeUndefined();
  expect(stillReferenced.deref()).toBe(referenced);
});
