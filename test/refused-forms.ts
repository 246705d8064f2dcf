import { expect } from "vitest";

/** A form refused with 400 and shown again, its page saying each of `texts` (messages and what was typed). */
export function expectRefusedSaying(response: { statusCode: number; body: string }, texts: string[]): void {
  expect(response.statusCode).toBe(400);
  for (const text of texts) expect(response.body).toContain(text);
}
